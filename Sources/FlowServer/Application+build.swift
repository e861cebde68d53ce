import FlowCore
public import Hummingbird
public import Logging

/// Builds the FlowLang HTTP application for `catalog`: the one entry point shared by tests and the CLI.
///
/// ```swift
/// var registry = TaskRegistry()
/// registry.register("Greet") { inputs, _ in ["greeting": "Hello!"] }
/// let flow = try FlowLoader().load(contentsOf: "flow.yaml")
/// let catalog = FlowCatalog(flow: ServedFlow(definition: flow, registry: registry))
/// let app = buildApplication(catalog: catalog, configuration: ServerConfiguration(port: 8000), logger: logger)
/// try await app.runService()
/// ```
public func buildApplication(
    catalog: FlowCatalog,
    configuration: ServerConfiguration = ServerConfiguration(),
    store: (any ExecutionStore)? = nil,
    clock: any Clock<Duration> = ContinuousClock(),
    logger: Logger
) -> some ApplicationProtocol {
    let executions = ExecutionService(
        store: store
            ?? MemoryExecutionStore(
                maxRecords: configuration.maxExecutionRecords,
                maxAge: configuration.executionRecordMaxAge
            ),
        logger: logger,
        clock: clock
    )
    let server = ServerContext(catalog: catalog, executions: executions, configuration: configuration)
    let router = Router(context: BasicRequestContext.self)
    let routes = RouteTable()
    router.add(middleware: ErrorMiddleware(routes: routes))
    if let level = configuration.requestLogLevel { router.add(middleware: LogRequestsMiddleware(level)) }
    ServiceController(server: server).register(on: router, routes: routes)
    FlowsController(server: server).register(on: router, routes: routes)
    ExecuteController(server: server).register(on: router, routes: routes)
    ExecutionsController(server: server).register(on: router, routes: routes)
    if catalog.mode == .multi {
        ProjectsController(server: server).register(on: router, routes: routes)
    }
    return Application(
        router: router,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "FlowLang"
        ),
        services: [executions],
        logger: logger
    )
}
