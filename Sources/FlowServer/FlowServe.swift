public import FlowCore
import Hummingbird
public import Logging
public import ServiceLifecycle
import UnixSignals

/// `flowlang serve`: discover the flows under a path and serve them until SIGTERM or SIGINT.
public enum FlowServe {
    /// Serves the flow or flows under `path` with `registry`'s tasks (the built-ins by default).
    ///
    /// With `configuration.reload` the flow files are watched and edits that load are served at once
    /// (``FlowReloader``); `flowlang serve` adds the HTTP task with ``TaskRegistry/registerHTTPTasks(client:)``.
    /// `services` (such as a span exporter) start before the server and stop after it. `store` keeps the
    /// execution records; nil keeps them in memory. `connections` lends database connections to flows that
    /// declare them (see ``buildApplication(catalog:configuration:store:clock:now:observability:connections:logger:onServerRunning:)``).
    public static func run(
        path: String,
        configuration: ServerConfiguration,
        registry: TaskRegistry = TaskRegistry(),
        store: (any ExecutionStore)? = nil,
        observability: ServerObservability = ServerObservability(),
        services: [any Service] = [],
        connections: (any ConnectionProvider & Service)? = nil,
        logger: Logger
    ) async throws {
        let discovery = try FlowDirectoryScanner.scan(path, registry: registry)
        for problem in discovery.problems {
            logger.warning(
                "skipped a flow that does not load", metadata: [LogKey.diagnostics: "\(problem.description)"])
        }
        let catalog =
            discovery.isSingleFlow
            ? FlowCatalog(flow: discovery.flows[0])
            : FlowCatalog(flows: discovery.flows, projects: discovery.projects)
        for flow in discovery.flows {
            let readiness = flow.readiness
            logger.info(
                "serving flow",
                metadata: [
                    LogKey.flow: "\(flow.name)", LogKey.tasks: "\(readiness.progress)",
                    LogKey.url: "http://\(configuration.host):\(configuration.port)\(flow.path)",
                ]
            )
        }
        configuration.logAuthentication(to: logger)
        let app = buildApplication(
            catalog: catalog,
            configuration: configuration,
            store: store,
            observability: observability,
            connections: connections,
            logger: logger
        )
        // SIGTERM or SIGINT starts a graceful shutdown (`/ready` answers 503 at once, in-flight work
        // finishes); what still runs after `shutdownGracePeriod` is cancelled. A group shuts its services down
        // in reverse order: the server first, so exporters flush what it recorded.
        var group = ServiceGroupConfiguration(
            services: services + [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        try await ServiceGroup(configuration: group).run()
    }
}
