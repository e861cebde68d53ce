import FlowPostgres
import Testing

/// `DATABASE_URL`s as PostgreSQL and its clients write them, and messages that never show the password.
@Suite struct PostgresURLTests {
    typealias Configuration = PostgresExecutionStore.Configuration

    @Test func aFullURLGivesEveryPart() throws {
        let configuration = try Configuration(
            url: "postgres://flow:p%40ss%2Fword@db.internal:5433/flow%20db?pool_size=8&sslmode=require&schema=tenant_a")
        #expect(configuration.host == "db.internal")
        #expect(configuration.port == 5433)
        #expect(configuration.username == "flow")
        #expect(configuration.password == "p@ss/word")
        #expect(configuration.database == "flow db")
        #expect(configuration.poolSize == 8)
        #expect(configuration.tls == .require)
        #expect(configuration.schema == "tenant_a")
    }

    @Test func aShortURLTakesTheDefaults() throws {
        let configuration = try Configuration(url: "postgresql://flow@localhost")
        #expect(configuration.port == 5432)
        #expect(configuration.password == nil)
        #expect(configuration.database == nil)
        #expect(configuration.poolSize == 4)
        #expect(configuration.tls == .disable)
        #expect(configuration.schema == "public")
        #expect(configuration.redactedURL == "postgres://flow@localhost:5432")
    }

    @Test(arguments: [
        ("disable", Configuration.TLSMode.disable), ("allow", .disable), ("prefer", .disable), ("require", .require),
        ("verify-ca", .verifyCA), ("verify-full", .verifyFull),
    ])
    func tlsIsOffUnlessTheSSLModeAsksForIt(sslmode: String, expected: Configuration.TLSMode) throws {
        #expect(try Configuration(url: "postgres://u:p@h/d?sslmode=\(sslmode)").tls == expected)
    }

    @Test func aPasswordWithAnUnencodedAtSignAndAnIPv6HostAreRead() throws {
        let configuration = try Configuration(url: "postgres://flow:p@ss:w@[::1]:6000/flow")
        #expect(configuration.password == "p@ss:w")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 6000)
        #expect(configuration.redactedURL == "postgres://flow:****@[::1]:6000/flow")
    }

    @Test func theRedactedURLMasksThePassword() throws {
        let configuration = try Configuration(url: "postgres://flow:hunter2@db:5432/flow?pool_size=2")
        #expect(configuration.redactedURL == "postgres://flow:****@db:5432/flow?pool_size=2")
        #expect(
            PostgresStoreError.unreachable(store: configuration.redactedURL, reason: "connection refused").description
                == "cannot reach the execution store postgres://flow:****@db:5432/flow?pool_size=2: connection refused; "
                + "check DATABASE_URL and that PostgreSQL is running"
        )
    }

    @Test func printingOrDumpingAConfigurationNeverShowsThePassword() throws {
        let configuration = try Configuration(url: "postgres://flow:hunter2@db/flow")
        var dumped = ""
        dump(configuration, to: &dumped)
        for shown in ["\(configuration)", String(reflecting: configuration), dumped] {
            #expect(shown.contains("postgres://flow:****@db:5432/flow"))
            #expect(!shown.contains("hunter2"))
        }
    }

    @Test(arguments: [
        ("mysql://flow:hunter2@db/flow", "the scheme is 'mysql'"),
        ("postgres://flow:hunter2@/flow", "names no host"),
        ("postgres://db/flow", "names no user"),
        ("postgres://flow:hunter2@db:99999/flow", "the port '99999'"),
        ("postgres://flow:hunter2@db/flow?pool_size=0", "pool_size '0' is not a number from 1 to 100"),
        ("postgres://flow:hunter2@db/flow?pool_size=many", "pool_size 'many'"),
        ("postgres://flow:hunter2@db/flow?sslmode=always", "sslmode 'always'"),
        ("postgres://flow:hunter2@db/flow?pool_sise=2", "unknown parameter 'pool_sise'"),
        ("postgres://flow@db/flow?password=hunter2", "unknown parameter 'password'"),
    ])
    func aBadURLIsRefusedNamingTheProblemButNotThePassword(url: String, problem: String) {
        #expect {
            try Configuration(url: url)
        } throws: { error in
            guard case .invalidURL(let shown, let reason)? = error as? PostgresStoreError else { return false }
            return reason.contains(problem) && !shown.contains("hunter2") && !"\(error)".contains("hunter2")
        }
    }
}
