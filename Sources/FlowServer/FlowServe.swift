public import FlowCore
import Hummingbird
public import Logging

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
                    "url": "http://\(configuration.host):\(configuration.port)\(flow.path)",
                ]
            )
        }
        let app = buildApplication(catalog: catalog, configuration: configuration, logger: logger)
        try await app.runService()
    }
}
