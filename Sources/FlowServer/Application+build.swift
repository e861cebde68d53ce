public import FlowCore
public import Foundation
public import Hummingbird
public import Logging
public import NIOCore
public import ServiceLifecycle

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
///
/// `connections` (FlowConnections' `ConnectionPools`) lends database connections to the tasks of flows that declare
/// `connections:`; it runs as the application's first service, so it closes its pools last, after the executions.
/// `/health` shows each declared connection's state.
///
/// `onServerRunning` is called once the server listens, with its channel: with port 0 the kernel picks a free
/// port, and the channel's local address tells which.
public func buildApplication(
    catalog: FlowCatalog,
    configuration: ServerConfiguration = ServerConfiguration(),
    store: (any ExecutionStore)? = nil,
    clock: any Clock<Duration> = ContinuousClock(),
    now: @escaping @Sendable () -> Date = { Date() },
    observability: ServerObservability = ServerObservability(),
    connections: (any ConnectionProvider & Service)? = nil,
    logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let executions = ExecutionService(
        store: store
            ?? MemoryExecutionStore(
                maxRecords: configuration.maxExecutionRecords,
                maxAge: configuration.executionRecordMaxAge
            ),
        logger: logger,
        maxConcurrentExecutions: configuration.maxConcurrentExecutions,
        clock: clock,
        observability: observability,
        catalog: catalog,
        maxResumes: configuration.maxStalledResumes,
        connections: connections
    )
    let admission = executions.admission
    let server = ServerContext(
        catalog: catalog, executions: executions, admission: admission, configuration: configuration, clock: clock)
    let router = Router(context: FlowRequestContext.self)
    let listing = RouteListing(router)
    let prefixes = FlowRoutes.prefixes(catalog)
    let publicRoutes = PublicRoutes()
    let shutdown = ShutdownState()
    // CORS goes first so that error answers (401, 429, 503) carry its headers too.
    if !configuration.corsAllowedOrigins.isEmpty {
        router.add(middleware: CrossOriginMiddleware(allowedOrigins: configuration.corsAllowedOrigins))
    }
    if observability.tracer != nil { router.add(middleware: TracingMiddleware()) }
    if let metrics = observability.metrics { router.add(middleware: HTTPMetricsMiddleware(metrics: metrics)) }
    router.add(middleware: ErrorMiddleware(routes: listing))
    router.add(middleware: ExecutionIDMiddleware(prefixes: prefixes))
    if let level = configuration.requestLogLevel { router.add(middleware: LogRequestsMiddleware(level)) }
    router.addSecurityMiddleware(configuration: configuration, publicRoutes: publicRoutes, clock: clock)
    router.addRoutes(ServiceController(server: server).routes)
    router.addRoutes(ReadinessController(server: server, shutdown: shutdown).routes)
    router.addRoutes(FlowsController(server: server).routes, atEach: prefixes)
    router.addRoutes(ExecuteController(server: server).routes, atEach: prefixes)
    router.addRoutes(ExecutionsController(server: server).routes, atEach: prefixes)
    router.addRoutes(ExecutionListController(server: server).routes)
    router.addRoutes(CancelByIdController(server: server).routes, atEach: prefixes)
    router.addRoutes(DocsController(server: server, listing: listing).routes)
    if configuration.console {
        router.addRoutes(ConsoleController(server: server).routes(publicRoutes: publicRoutes))
    }
    if let metrics = observability.metrics { router.addRoutes(MetricsController(metrics: metrics).routes) }
    if catalog.mode == .multi {
        router.addRoutes(ProjectsController(server: server).routes)
    }
    // Webhook routes go last so that a webhook never shadows a built-in route.
    let triggers = TriggerRegistry(catalog: catalog, environment: configuration.environment, logger: logger)
    let scheduler = TriggerScheduler(
        triggers: triggers, catalog: catalog, executions: executions, clock: clock, now: now, logger: logger)
    router.addRoutes(TriggersController(server: server, triggers: triggers).routes)
    WebhookController(server: server, triggers: triggers).register(on: router)
    publicRoutes.addSelfAuthenticatedWebhooks(of: triggers)
    var application = Application(
        router: router,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "FlowLang"
        ),
        services: (connections.map { [$0] } ?? [])
            + services(
                executions: executions, catalog: catalog, configuration: configuration, clock: clock, logger: logger)
            + [scheduler],
        onServerRunning: onServerRunning,
        logger: logger
    )
    // Runs a stopped server left unfinished are live again before the first request can ask about them.
    application.beforeServerStarts { await executions.resumeInterrupted() }
    return ReadinessTrackingApplication(
        base: application,
        shutdown: shutdown,
        drainPeriod: configuration.shutdownDrainPeriod,
        clock: clock
    )
}

/// The application's background services: executions, and the flow reloader when `reload` is on.
private func services(
    executions: ExecutionService,
    catalog: FlowCatalog,
    configuration: ServerConfiguration,
    clock: any Clock<Duration>,
    logger: Logger
) -> [any Service] {
    guard configuration.reload else { return [executions] }
    let reloader = FlowReloader(
        catalog: catalog, interval: configuration.reloadPollInterval, clock: clock, logger: logger)
    return [executions, reloader]
}
