import FlowServer
import Logging
import Testing

/// `ConfigurationResolver`: precedence (flag > env > .env > default), defaults, and malformed values that
/// stop the server with a message naming the variable.
@Suite struct ConfigurationResolverTests {
    static let resolver = ConfigurationResolver()

    static func dotEnv(_ text: String) throws -> DotEnv { try DotEnv(parsing: text, path: "/srv/.env") }

    // MARK: Precedence

    /// Which of flag, environment and `.env` set PORT, and which value and source must win.
    @Test(arguments: [
        (true, true, true, 1001, ConfigurationSource.flag),
        (true, false, true, 1001, .flag),
        (false, true, true, 1002, .environment),
        (false, true, false, 1002, .environment),
        (false, false, true, 1003, .dotEnv(path: "/srv/.env")),
        (false, false, false, 8000, .defaultValue),
    ])
    func flagBeatsEnvironmentBeatsDotEnvBeatsDefault(
        flag: Bool, environment: Bool, dotEnv: Bool, port: Int, source: ConfigurationSource
    ) throws {
        let resolved = try Self.resolver.resolve(
            flags: flag ? [.port: "1001"] : [:],
            environment: environment ? ["PORT": "1002"] : [:],
            dotEnvFiles: dotEnv ? [try Self.dotEnv("PORT=1003")] : []
        )
        #expect(resolved.server.port == port)
        #expect(resolved.source(of: .port) == source)
    }

    @Test func aLaterDotEnvFileBeatsAnEarlierOne() throws {
        let resolved = try Self.resolver.resolve(
            dotEnvFiles: [
                try DotEnv(parsing: "PORT=1\nHOST=a", path: "a/.env"), try DotEnv(parsing: "PORT=2", path: "b/.env"),
            ]
        )
        #expect(resolved.server.port == 2)
        #expect(resolved.source(of: .port) == .dotEnv(path: "b/.env"))
        #expect(resolved.server.host == "a")
    }

    @Test func nothingSetGivesTheDefaults() throws {
        let resolved = try Self.resolver.resolve()
        #expect(resolved.server.host == "127.0.0.1")
        #expect(resolved.server.port == 8000)
        #expect(resolved.server.maxBodyBytes == 1 << 20)
        #expect(resolved.server.maxExecutionRecords == 1000)
        #expect(resolved.server.executionRecordMaxAge == .seconds(3600))
        #expect(resolved.server.shutdownGracePeriod == .seconds(30))
        #expect(resolved.server.apiKeys.isEmpty)
        #expect(resolved.server.rateLimit == nil)
        #expect(resolved.server.maxConcurrentExecutions == nil)
        #expect(resolved.server.corsAllowedOrigins.isEmpty)
        #expect(resolved.logging == LoggingConfiguration(level: .info, format: .text, otlpEndpoint: nil))
        #expect(resolved.databaseURL == nil)
        #expect(resolved.entries.allSatisfy { $0.source == .defaultValue })
    }

    @Test func everyVariableReachesItsSetting() throws {
        let resolved = try Self.resolver.resolve(
            environment: [
                "HOST": "0.0.0.0", "PORT": "9000", "LOG_LEVEL": "WARN", "LOG_FORMAT": "JSON",
                "FLOWLANG_API_KEYS": " alpha , beta ,, ", "RATE_LIMIT": "6000/min", "RATE_LIMIT_BURST": "50",
                "MAX_BODY_BYTES": "2048", "MAX_CONCURRENT_EXECUTIONS": "4", "EXECUTION_RETENTION_COUNT": "10",
                "EXECUTION_RETENTION_SECONDS": "60",
                "CORS_ALLOWED_ORIGINS": "https://app.example.com, http://localhost:3000",
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "DATABASE_URL": "postgres://flow:pw@db/flow",
                "SHUTDOWN_GRACE_SECONDS": "0",
            ]
        )
        let server = resolved.server
        #expect(server.host == "0.0.0.0")
        #expect(server.port == 9000)
        #expect(server.apiKeys == APIKeySet(["alpha", "beta"]))
        #expect(server.rateLimit == RateLimit(requests: 6000, per: .seconds(60), burst: 50))
        #expect(server.maxBodyBytes == 2048)
        #expect(server.maxConcurrentExecutions == 4)
        #expect(server.maxExecutionRecords == 10)
        #expect(server.executionRecordMaxAge == .seconds(60))
        #expect(server.corsAllowedOrigins == ["https://app.example.com", "http://localhost:3000"])
        #expect(server.shutdownGracePeriod == .zero)
        #expect(
            resolved.logging
                == LoggingConfiguration(level: .warning, format: .json, otlpEndpoint: "http://collector:4318"))
        #expect(resolved.databaseURL == "postgres://flow:pw@db/flow")
    }

    @Test(arguments: [("100/s", 100, 1), ("6000/min", 6000, 60), ("10 / hour", 10, 3600), ("5/second", 5, 1)])
    func rateLimitSpellings(text: String, requests: Int, seconds: Int) throws {
        let resolved = try Self.resolver.resolve(environment: ["RATE_LIMIT": text])
        #expect(resolved.server.rateLimit == RateLimit(requests: requests, per: .seconds(seconds)))
        #expect(resolved.server.rateLimit?.burst == requests)
    }

    @Test(arguments: ["", "off", "OFF"])
    func rateLimitOffSpellings(text: String) throws {
        #expect(try Self.resolver.resolve(environment: ["RATE_LIMIT": text]).server.rateLimit == nil)
    }

    @Test func dotEnvValuesJoinTheEnvironmentForWebhookSecretsAndTheProcessWins() throws {
        let resolved = try Self.resolver.resolve(
            environment: ["PAYMENT_API_KEY": "from-process"],
            dotEnvFiles: [try Self.dotEnv("PAYMENT_API_KEY=from-file\nEMAIL_API_KEY=mail")]
        )
        #expect(resolved.server.environment["PAYMENT_API_KEY"] == "from-process")
        #expect(resolved.server.environment["EMAIL_API_KEY"] == "mail")
    }

    // MARK: Malformed values

    @Test(arguments: [
        ("PORT", "abc", "PORT: 'abc' is not a port (1–65535)"),
        ("PORT", "0", "PORT: '0' is not a port (1–65535)"),
        ("PORT", "70000", "PORT: '70000' is not a port (1–65535)"),
        ("HOST", "", "HOST: '' is not a host name or address"),
        (
            "LOG_LEVEL", "loud",
            "LOG_LEVEL: 'loud' is not a log level (trace, debug, info, notice, warning, error, critical)"
        ),
        ("LOG_FORMAT", "xml", "LOG_FORMAT: 'xml' is not a log format (text or json)"),
        ("RATE_LIMIT", "lots", "RATE_LIMIT: 'lots' is not a rate (e.g. 100/s, 6000/min, 10/h, or off)"),
        ("RATE_LIMIT", "-5/s", "RATE_LIMIT: '-5/s' is not a rate (e.g. 100/s, 6000/min, 10/h, or off)"),
        ("RATE_LIMIT_BURST", "10", "RATE_LIMIT_BURST: is set but RATE_LIMIT is not"),
        ("MAX_BODY_BYTES", "-5", "MAX_BODY_BYTES: '-5' is not a positive whole number"),
        ("MAX_BODY_BYTES", "1MB", "MAX_BODY_BYTES: '1MB' is not a positive whole number"),
        ("MAX_CONCURRENT_EXECUTIONS", "0", "MAX_CONCURRENT_EXECUTIONS: '0' is not a positive whole number"),
        ("EXECUTION_RETENTION_COUNT", "many", "EXECUTION_RETENTION_COUNT: 'many' is not a positive whole number"),
        ("EXECUTION_RETENTION_SECONDS", "-1", "EXECUTION_RETENTION_SECONDS: '-1' is not a positive whole number"),
        ("SHUTDOWN_GRACE_SECONDS", "-3", "SHUTDOWN_GRACE_SECONDS: '-3' is not a whole number of seconds (0 or more)"),
        (
            "CORS_ALLOWED_ORIGINS", "https://ok.example, example.com",
            "CORS_ALLOWED_ORIGINS: 'example.com' is not an origin (http(s)://host[:port], no path) or *"
        ),
        (
            "CORS_ALLOWED_ORIGINS", "https://example.com/app",
            "CORS_ALLOWED_ORIGINS: 'https://example.com/app' is not an origin (http(s)://host[:port], no path) or *"
        ),
        (
            "OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318",
            "OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' is not an http or https URL"
        ),
        ("DATABASE_URL", "nope", "DATABASE_URL: 'nope' is not a scheme://… URL"),
    ])
    func malformedValueNamesTheVariableAndTheValue(variable: String, value: String, message: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try Self.resolver.resolve(environment: [variable: value])
        }
        #expect(error?.variable == variable)
        #expect(error?.description == message)
    }

    @Test func aMalformedFlagIsReportedLikeAnEnvironmentValue() {
        let error = #expect(throws: ConfigurationError.self) {
            try Self.resolver.resolve(flags: [.port: "abc"], environment: ["PORT": "8080"])
        }
        #expect(error?.description == "PORT: 'abc' is not a port (1–65535)")
    }

    @Test func secretsAreNeverRepeatedInErrors() {
        let keys = #expect(throws: ConfigurationError.self) {
            try Self.resolver.resolve(environment: ["FLOWLANG_API_KEYS": "good-key,bad secret"])
        }
        #expect(keys?.description == "FLOWLANG_API_KEYS: key 2 contains whitespace")
        let database = #expect(throws: ConfigurationError.self) {
            try Self.resolver.resolve(environment: ["DATABASE_URL": "postgres:/flow:hunter2@db"])
        }
        #expect(database?.description == "DATABASE_URL: the value (not shown) is not a scheme://… URL")
    }
}

/// The environment a server passes to the servers it starts (`serve DIR`, `serve --multi`).
@Suite struct ChildEnvironmentTests {
    @Test func childrenGetTheEnvironmentTheDotEnvFilesAndTheFlagsInThatPrecedence() throws {
        let dotEnv = try DotEnv(parsing: "RATE_LIMIT=1/s\nPORT=7000\nDB_PASSWORD=from-file\n", path: ".env")
        let resolved = try ConfigurationResolver().resolve(
            flags: [.apiKeys: "flag-key", .port: "9000"],
            environment: ["RATE_LIMIT": "5/s", "PATH": "/usr/bin"],
            dotEnvFiles: [dotEnv]
        )
        let environment = resolved.childEnvironment
        #expect(environment["FLOWLANG_API_KEYS"] == "flag-key", "a flag reaches the child without its command line")
        #expect(environment["PORT"] == "9000")
        #expect(environment["RATE_LIMIT"] == "5/s", "the environment beats .env")
        #expect(environment["DB_PASSWORD"] == "from-file", ".env variables of the tasks reach the child too")
        #expect(environment["PATH"] == "/usr/bin")
        #expect(environment["LOG_LEVEL"] == nil, "defaults are left to the child")
    }
}
