public import Logging

/// Settings of a FlowLang server; read from flags and the environment by the executable, never here.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Requests with a larger body are answered 413.
    public var maxBodyBytes: Int
    /// How many execution records the in-memory store keeps.
    public var maxExecutionRecords: Int
    /// How long finished execution records are kept.
    public var executionRecordMaxAge: Duration
    /// How often an idle event stream sends a `: ping` comment.
    public var pingInterval: Duration
    /// The level request lines are logged at; `nil` logs no request lines.
    public var requestLogLevel: Logger.Level?
    /// The version reported by `/` and the OpenAPI document.
    public var version: String
    /// Whether served flow files are watched and reloaded when an edit loads cleanly (`--reload`).
    public var reload: Bool
    /// How often reload looks at the flow files.
    public var reloadPollInterval: Duration
    /// Environment variables for `${NAME}` in webhook secrets; the executable passes the process environment.
    public var environment: [String: String]
    /// Keys every route but `/health`, `/ready` and self-authenticated webhooks requires; empty turns auth off.
    public var apiKeys: APIKeySet
    /// Requests per client (API key, else address); nil turns rate limiting off.
    public var rateLimit: RateLimit?
    /// How many executions may run at once before execute requests are answered 503; nil is unlimited.
    public var maxConcurrentExecutions: Int?
    /// Origins browsers may call from (`*` for any); empty turns CORS off.
    public var corsAllowedOrigins: [String]
    /// How long graceful shutdown may take before what still runs is cancelled.
    public var shutdownGracePeriod: Duration
    /// How long the server keeps serving after shutdown begins, with `/ready` answering 503.
    public var shutdownDrainPeriod: Duration
    /// How many times in a row an interrupted run is resumed without journaling a step in between before it is
    /// failed instead (a run that stops its server every time it reaches some step).
    public var maxStalledResumes: Int
    /// Whether the web console is served on `/ui` (`FLOWLANG_CONSOLE`).
    public var console: Bool

    public init(
        host: String = "127.0.0.1",
        port: Int = 8000,
        maxBodyBytes: Int = 1 << 20,
        maxExecutionRecords: Int = 1000,
        executionRecordMaxAge: Duration = .seconds(3600),
        pingInterval: Duration = .seconds(15),
        requestLogLevel: Logger.Level? = .info,
        version: String = "1.0.0",
        reload: Bool = false,
        reloadPollInterval: Duration = .milliseconds(500),
        environment: [String: String] = [:],
        apiKeys: APIKeySet = APIKeySet([]),
        rateLimit: RateLimit? = nil,
        maxConcurrentExecutions: Int? = nil,
        corsAllowedOrigins: [String] = [],
        shutdownGracePeriod: Duration = .seconds(30),
        shutdownDrainPeriod: Duration = .zero,
        maxStalledResumes: Int = 5,
        console: Bool = true
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxExecutionRecords = maxExecutionRecords
        self.executionRecordMaxAge = executionRecordMaxAge
        self.pingInterval = pingInterval
        self.requestLogLevel = requestLogLevel
        self.version = version
        self.reload = reload
        self.reloadPollInterval = reloadPollInterval
        self.environment = environment
        self.apiKeys = apiKeys
        self.rateLimit = rateLimit
        self.maxConcurrentExecutions = maxConcurrentExecutions
        self.corsAllowedOrigins = corsAllowedOrigins
        self.shutdownGracePeriod = shutdownGracePeriod
        self.shutdownDrainPeriod = shutdownDrainPeriod
        self.maxStalledResumes = maxStalledResumes
        self.console = console
    }
}
