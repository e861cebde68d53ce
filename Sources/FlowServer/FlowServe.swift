public import FlowCore
import Hummingbird
public import Logging
import ServiceLifecycle
import UnixSignals

/// `flowlang serve`: discover the flows under a path and serve them until SIGTERM or SIGINT.
public enum FlowServe {
    /// Serves the flow or flows under `path` with `registry`'s tasks (the built-ins by default).
    ///
    /// With `configuration.reload` the flow files are watched and edits that load are served at once
    /// (``FlowReloader``); `flowlang serve` adds the HTTP task with ``TaskRegistry/registerHTTPTasks(client:)``.
    public static func run(
        path: String,
        configuration: ServerConfiguration,
        registry: TaskRegistry = TaskRegistry(),
        logger: Logger
    ) async throws {
        let discovery = try FlowDirectoryScanner.scan(path, registry: registry)
        for problem in discovery.problems {
            logger.warning("skipped a flow that does not load", metadata: ["diagnostics": "\(problem.description)"])
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
                    "flow": "\(flow.name)", "tasks": "\(readiness.progress)",
                    "url": "http://\(configuration.host):\(configuration.port)/flows/\(flow.name)",
                ]
            )
        }
        let app = buildApplication(catalog: catalog, configuration: configuration, logger: logger)
        // SIGTERM or SIGINT starts a graceful shutdown (`/ready` answers 503 at once, in-flight work
        // finishes); what still runs after `shutdownGracePeriod` is cancelled.
        var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        try await ServiceGroup(configuration: group).run()
    }
}
