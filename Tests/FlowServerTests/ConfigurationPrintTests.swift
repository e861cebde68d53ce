import FlowServer
import Testing

/// `flowlang serve --print-config`: one `KEY=value  (source)` line per variable, secrets masked.
@Suite struct ConfigurationPrintTests {
    static func lines() throws -> [String] {
        try ConfigurationResolver().resolve(
            flags: [.port: "9000"],
            environment: [
                "FLOWLANG_API_KEYS": "sk_live_first,sk_live_second",
                "DATABASE_URL": "postgres://flow:hunter2@db.internal:5432/flow?sslmode=require&password=x",
                "OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector.example/v1/traces?token=abc123",
            ],
            dotEnvFiles: [try DotEnv(parsing: "HOST=0.0.0.0", path: "/srv/.env")]
        ).printableLines
    }

    static func line(_ name: String, in lines: [String]) throws -> String {
        try #require(lines.first { $0.hasPrefix("\(name)=") })
    }

    @Test func listsEveryVariableInOrderWithItsSource() throws {
        let lines = try Self.lines()
        #expect(lines.map { String($0.prefix { $0 != "=" }) } == ConfigurationVariable.all.map(\.name))
        #expect(try Self.line("PORT", in: lines).hasSuffix("(flag)"))
        #expect(try Self.line("HOST", in: lines).hasSuffix("(.env /srv/.env)"))
        #expect(try Self.line("FLOWLANG_API_KEYS", in: lines).hasSuffix("(env)"))
        #expect(try Self.line("LOG_LEVEL", in: lines).hasSuffix("(default)"))
        #expect(try Self.line("PORT", in: lines).hasPrefix("PORT=9000 "))
        #expect(try Self.line("RATE_LIMIT", in: lines).hasPrefix("RATE_LIMIT= "))
    }

    @Test func apiKeysShowOnlyHowManyThereAre() throws {
        let line = try Self.line("FLOWLANG_API_KEYS", in: try Self.lines())
        #expect(line.hasPrefix("FLOWLANG_API_KEYS=****** (2 keys) "))
    }

    @Test func urlsKeepTheirHostButNotTheirPasswordOrQuery() throws {
        let lines = try Self.lines()
        #expect(
            try Self.line("DATABASE_URL", in: lines).hasPrefix(
                "DATABASE_URL=postgres://flow:****@db.internal:5432/flow?**** "))
        #expect(
            try Self.line("OTEL_EXPORTER_OTLP_ENDPOINT", in: lines)
                .hasPrefix("OTEL_EXPORTER_OTLP_ENDPOINT=https://collector.example/v1/traces?**** ")
        )
    }

    @Test func noSecretAppearsAnywhere() throws {
        let text = try Self.lines().joined(separator: "\n")
        for secret in ["sk_live_first", "sk_live_second", "hunter2", "abc123", "password=x"] {
            #expect(!text.contains(secret), "\(secret) is shown")
        }
    }

    @Test func aLoggedConfigurationDoesNotShowTheKeys() {
        let keys = APIKeySet(["sk_live_first"])
        #expect("\(keys)" == "1 API key (masked)")
        #expect(!String(describing: ServerConfiguration(apiKeys: keys)).contains("sk_live_first"))
    }
}
