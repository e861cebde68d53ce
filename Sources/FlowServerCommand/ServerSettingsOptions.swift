public import ArgumentParser
public import FlowServer

/// The command-line options of every FlowLang server program: `flowlang serve` and the server of each
/// package `flowlang scaffold` generates take the same flags, with the same names and help.
///
/// Each flag sets one ``ConfigurationVariable``; the environment and `.env` files set the same variables
/// (flag > environment > `.env` > default), resolved by ``ServerLaunch/resolve(_:servedPath:environment:workingDirectory:)``.
public struct ServerSettingsOptions: ParsableArguments {
    @Option(help: "The address to listen on (HOST, default 127.0.0.1).")
    public var host: String?

    @Option(help: "The port to listen on (PORT, default 8000).")
    public var port: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical (LOG_LEVEL, default info).")
    public var logLevel: String?

    @Option(help: "Log lines as text or json (LOG_FORMAT, default text).")
    public var logFormat: String?

    @Option(help: "Comma-separated API keys required on every route but /health and /ready (FLOWLANG_API_KEYS).")
    public var apiKeys: String?

    @Option(help: "Requests per client, e.g. 100/s or 6000/min, or off (RATE_LIMIT, default off).")
    public var rateLimit: String?

    @Option(help: "Requests a client may make at once before the rate applies (RATE_LIMIT_BURST).")
    public var rateLimitBurst: String?

    @Option(help: "Largest request body in bytes; larger is answered 413 (MAX_BODY_BYTES, default 1048576).")
    public var maxBodyBytes: String?

    @Option(help: "Executions running at once before execute answers 503 (MAX_CONCURRENT_EXECUTIONS).")
    public var maxConcurrentExecutions: String?

    @Option(help: "Execution records kept (EXECUTION_RETENTION_COUNT, default 1000).")
    public var executionRetentionCount: String?

    @Option(help: "Seconds finished execution records are kept (EXECUTION_RETENTION_SECONDS, default 3600).")
    public var executionRetentionSeconds: String?

    @Option(help: "Comma-separated origins browsers may call from, or * (CORS_ALLOWED_ORIGINS, default off).")
    public var corsAllowedOrigins: String?

    @Option(help: "OTLP/HTTP endpoint for traces (OTEL_EXPORTER_OTLP_ENDPOINT).")
    public var otlpEndpoint: String?

    @Option(help: "Database URL for execution records (DATABASE_URL).")
    public var databaseURL: String?

    @Option(help: "Seconds graceful shutdown may take before work is cancelled (SHUTDOWN_GRACE_SECONDS, default 30).")
    public var shutdownGraceSeconds: String?

    @Option(
        help: "Seconds to keep serving after SIGTERM with /ready answering 503 (SHUTDOWN_DRAIN_SECONDS, default 0).")
    public var shutdownDrainSeconds: String?

    @Option(help: "Serve the web console on /ui: on or off (FLOWLANG_CONSOLE, default on).")
    public var console: String?

    @Option(help: "A .env file to read instead of ./.env and the served directory's .env.", completion: .file())
    public var envFile: String?

    @Flag(help: "Print the effective configuration (secrets masked) and exit.")
    public var printConfig = false

    @Flag(inversion: .prefixedNo, help: "Serve Prometheus metrics on /metrics.")
    public var metrics = true

    public init() {}

    /// The flags given, by the variable each one sets.
    public var flags: [ConfigurationVariable: String] {
        let pairs: [(ConfigurationVariable, String?)] = [
            (.host, host), (.port, port), (.logLevel, logLevel), (.logFormat, logFormat), (.apiKeys, apiKeys),
            (.rateLimit, rateLimit), (.rateLimitBurst, rateLimitBurst), (.maxBodyBytes, maxBodyBytes),
            (.maxConcurrentExecutions, maxConcurrentExecutions), (.retentionCount, executionRetentionCount),
            (.retentionSeconds, executionRetentionSeconds), (.corsAllowedOrigins, corsAllowedOrigins),
            (.otlpEndpoint, otlpEndpoint), (.databaseURL, databaseURL), (.shutdownGraceSeconds, shutdownGraceSeconds),
            (.shutdownDrainSeconds, shutdownDrainSeconds), (.console, console),
        ]
        return Dictionary(uniqueKeysWithValues: pairs.compactMap { variable, value in value.map { (variable, $0) } })
    }
}
