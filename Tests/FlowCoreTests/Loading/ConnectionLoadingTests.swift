import FlowCore
import Foundation
import OrderedCollections
import Testing

/// `connections:` and a project's `shared_connections`: what loads, what each spelling means, and the
/// diagnostics for everything refused, none of which shows a password.
@Suite("Connection loading")
struct ConnectionLoadingTests {
    static let environment = [
        "DB_PASSWORD": "s3cr3t!", "DB_HOST": "db.internal", "POOL": "7", "DB_FILE": "data/app.db",
    ]
    let loader = FlowLoader(environment: Self.environment, requiresEnvironment: true)

    func load(_ connections: String, file: String? = "/flows/orders/flow.yaml") throws -> FlowDefinition {
        try loader.load(yaml: "flow: F\nconnections:\n\(connections)\nsteps: []\n", file: file)
    }

    @Test func postgresURLWithEnvironmentVariablesLoadsIntoSettings() throws {
        let flow = try load(
            """
              db:
                type: postgresql
                url: "postgres://app:${env.DB_PASSWORD}@${DB_HOST}:6543/orders?sslmode=require"
                pool_size: ${POOL}
                min_pool_size: 2
                timeout: 3s
            """
        )
        let connection = try #require(flow.connections["db"])
        guard case .postgres(let settings) = connection.kind else {
            Issue.record("expected postgres, got \(connection.kind)")
            return
        }
        #expect(settings.host == "db.internal")
        #expect(settings.port == 6543)
        #expect(settings.username == "app")
        #expect(settings.password == "s3cr3t!")
        #expect(settings.database == "orders")
        #expect(settings.tls == .require)
        #expect(settings.poolSize == 7)
        #expect(settings.minPoolSize == 2)
        #expect(settings.timeout == .seconds(3))
        #expect(connection.location.line == 4)
        #expect(!"\(connection)".contains("s3cr3t"))
        #expect(!String(reflecting: settings).contains("s3cr3t"))
        #expect(settings.redactedURL == "postgres://app:****@db.internal:6543/orders?sslmode=require")
    }

    @Test func sqliteDatabaseIsResolvedAgainstTheFlowsDirectory() throws {
        let flow = try load(
            """
              local:
                type: sqlite
                database: ${env.DB_FILE}
                timeout: 2
              absolute:
                type: SQLite
                database: /var/lib/app.db
            """
        )
        #expect(
            flow.connections["local"]?.kind
                == .sqlite(SQLiteConnectionSettings(database: "/flows/orders/data/app.db", timeout: .seconds(2))))
        #expect(flow.connections["absolute"]?.kind == .sqlite(SQLiteConnectionSettings(database: "/var/lib/app.db")))
        #expect(Array(flow.connections.keys) == ["local", "absolute"])
    }

    static let errors: [(String, String)] = [
        (
            "  db:\n    type: 1️⃣mysql\n    url: x",
            "connection 'db' has type 'mysql', which this build of FlowLang does not support. Supported types: postgres, postgresql, sqlite"
        ),
        ("  db:\n    type: 1️⃣redis", "does not support"),
        (
            "  db:\n    type: 1️⃣postgress\n    url: x",
            "connection 'db' has unknown type 'postgress'. Did you mean 'postgres'? Supported types: postgres, postgresql, sqlite"
        ),
        ("  db:\n    1️⃣database: x.db", "connection 'db' needs a 'type'"),
        ("  db:\n    1️⃣type: sqlite", "connection 'db' (sqlite) needs a 'database' file path"),
        (
            "  db:\n    type: sqlite\n    database: 1️⃣${env.MISSING}",
            "connection 'db' 'database' uses the environment variable 'MISSING', which is not set"
        ),
        ("  db:\n    type: sqlite\n    database: 1️⃣\":memory:\"", "must be a file path"),
        (
            "  db:\n    type: sqlite\n    database: a.db\n    1️⃣timout: 3",
            "unknown key 'timout' in connection 'db'. Did you mean 'timeout'?"
        ),
        ("  db:\n    type: sqlite\n    database: a.db\n    timeout: 1️⃣-1", "'timeout' must be a positive duration"),
        (
            "  db:\n    type: postgres\n    url: 1️⃣\"postgres://app:${DB_PASSWORD}@host:99999/x\"",
            "connection 'db' has a malformed 'url': the port '99999' is not a number from 1 to 65535"
        ),
        (
            "  db:\n    type: postgres\n    url: 1️⃣\"mysql://app:pw@host/x\"",
            "the scheme is 'mysql', not postgres or postgresql"
        ),
        ("  db:\n    type: postgres\n    url: 1️⃣\"postgres://host/x\"", "it names no user"),
        (
            "  db:\n    type: postgres\n    url: 1️⃣\"postgres://app:pw@host/x?password=pw\"",
            "unknown parameter 'password'"
        ),
        (
            "  db:\n    type: postgres\n    url: 1️⃣\"postgres://app:${env.NOPE}@host/x\"",
            "uses the environment variable 'NOPE', which is not set"
        ),
        (
            "  db:\n    type: postgres\n    url: 1️⃣\"postgres://${env.}@host/x\"",
            "'${env.}' is not an environment variable"
        ),
        (
            "  db:\n    type: postgres\n    url: postgres://a@h/x\n    pool_size: 1️⃣0",
            "'pool_size' must be an integer from 1 to 100, found the integer 0"
        ),
        (
            "  db:\n    type: postgres\n    url: postgres://a@h/x\n    pool_size: 2\n    min_pool_size: 1️⃣3",
            "'min_pool_size' must be an integer from 0 to 2"
        ),
        ("  db:\n    1️⃣type: postgres\n    pool_size: 2", "connection 'db' (postgres) needs a 'url'"),
        ("  db: 1️⃣postgres://a@h/x", "connection 'db' must be a mapping"),
        (
            "  db:\n    url: 1️⃣\"mysql://a@h/x\"",
            "connection 'db' has no 'type', and its 'url' starts with none of postgres://, postgresql:// or sqlite:"
        ),
        ("  db:\n    url: 1️⃣${env.NOPE:-}", "connection 'db' 'url' must be a non-empty string"),
        ("  db:\n    url: 1️⃣\"${env.NOPE:-sqlite:}\"", "must be a file path"),
        ("  db:\n    url: \"sqlite:a.db\"\n    1️⃣pool_size: 3", "unknown key 'pool_size' in connection 'db'"),
        (
            "  db:\n    type: sqlite\n    url: 1️⃣\"postgres://a@h/x\"",
            "connection 'db' (sqlite) has a 'url' that is not sqlite:PATH"
        ),
        ("  db:\n    url: 1️⃣\"${1BAD:-x}\"", "'${1BAD:-x}' is not an environment variable"),
    ]

    @Test func urlWithoutTypeUsesTheDefaultSQLiteFileWhenTheVariableIsUnset() throws {
        let flow = try load("  db:\n    url: ${env.DATABASE_URL:-sqlite:data/orders.db}\n    timeout: 2")
        #expect(
            flow.connections["db"]?.kind
                == .sqlite(SQLiteConnectionSettings(database: "/flows/orders/data/orders.db", timeout: .seconds(2))))
        let absolute = try load("  db:\n    url: \"sqlite:///var/lib/orders.db\"")
        #expect(absolute.connections["db"]?.kind == .sqlite(SQLiteConnectionSettings(database: "/var/lib/orders.db")))
    }

    @Test func urlWithoutTypeIsPostgresWhenTheVariableNamesAServer() throws {
        let environment = ["DATABASE_URL": "postgresql://app:s3cr3t!@db.internal/orders", "EMPTY": ""]
        let loader = FlowLoader(environment: environment, requiresEnvironment: true)
        let flow = try loader.load(
            yaml: "flow: F\nconnections:\n  db:\n    url: ${env.DATABASE_URL:-sqlite:orders.db}\n    pool_size: 4\n"
                + "  other:\n    url: ${EMPTY:-sqlite:other.db}\nsteps: []\n",
            file: "/flows/f/flow.yaml"
        )
        guard case .postgres(let settings) = flow.connections["db"]?.kind else {
            Issue.record("expected postgres, got \(String(describing: flow.connections["db"]))")
            return
        }
        #expect(settings.host == "db.internal")
        #expect(settings.database == "orders")
        #expect(settings.poolSize == 4)
        #expect(
            flow.connections["other"]?.kind == .sqlite(SQLiteConnectionSettings(database: "/flows/f/other.db")),
            "an empty variable takes the default")
    }

    @Test(arguments: errors)
    func badConnectionIsADiagnosticAtTheOffendingNode(connections: String, message: String) {
        let yaml = MarkedYAML("flow: F\nconnections:\n\(connections)\nsteps: []\n")
        let diagnostics = expectLoadErrors(yaml, ["1️⃣": message], loader: loader)
        #expect(!diagnostics.description.contains("s3cr3t"))
        #expect(!diagnostics.description.contains(":pw@"))
    }

    @Test func toolsThatNeverConnectOnlyWarnAboutAnUnsetVariable() throws {
        let flow = try FlowLoader(environment: [:]).load(
            yaml: "flow: F\nconnections:\n  db:\n    type: postgres\n    url: ${env.DATABASE_URL}\nsteps: []\n"
        )
        #expect(flow.connections.isEmpty)
        #expect(
            flow.warnings.map(\.description) == [
                "5:10: warning: connection 'db' 'url' uses the environment variable 'DATABASE_URL', which is not set; the connection is left out until it is"
            ])
    }

    @Test func projectSharedConnectionsApplyToItsFlowsUnlessAFlowDeclaresItsOwn() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shared-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let projectFile = (directory as NSString).appendingPathComponent("project.yaml")
        try """
        name: Shop
        settings:
          shared_connections:
            db:
              type: sqlite
              database: shop.db
            cache:
              type: postgres
              url: postgres://app:${DB_PASSWORD}@${DB_HOST}/cache
        """.write(toFile: projectFile, atomically: true, encoding: .utf8)
        let project = try ProjectLoader.load(
            contentsOf: projectFile, environment: Self.environment, requiresEnvironment: true)
        #expect(
            project.sharedConnections["db"]?.kind == .sqlite(SQLiteConnectionSettings(database: directory + "/shop.db"))
        )
        let flow = try load("  cache:\n    type: sqlite\n    database: /tmp/own.db")
        let applied = flow.applyingSharedConnections(project.sharedConnections)
        #expect(Array(applied.connections.keys) == ["cache", "db"])
        #expect(applied.connections["cache"]?.typeName == "sqlite")
    }

    @Test func projectWithABadSharedConnectionDoesNotLoad() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shared-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let projectFile = (directory as NSString).appendingPathComponent("project.yaml")
        try "name: Shop\nsettings:\n  shared_connections:\n    db:\n      type: mongodb\n".write(
            toFile: projectFile, atomically: true, encoding: .utf8)
        #expect {
            try ProjectLoader.load(contentsOf: projectFile, environment: [:])
        } throws: { error in
            let diagnostic = (error as? FlowLoadError)?.errors.first
            return diagnostic?.location == FlowCore.SourceLocation(file: projectFile, line: 5, column: 13)
                && diagnostic?.message.contains("does not support") == true
        }
    }

    @Test func stepNamingAnUndeclaredConnectionIsAWarningAtLoadAndRefusedOnceTheProjectIsKnown() throws {
        let yaml = """
            flow: F
            connections:
              orders:
                type: sqlite
                database: /tmp/orders.db
            steps:
              - task: sqlite_query
                id: a
                connection: orders
                inputs: {query: "SELECT 1"}
              - parallel:
                  - task: sqlite_query
                    id: b
                    connection: order
                    inputs: {query: "SELECT 1"}
                  - task: sqlite_query
                    id: c
                    connection: shared
                    inputs: {query: "SELECT 1"}
            """
        let flow = try loader.load(yaml: yaml)
        #expect(
            flow.warnings.map(\.description) == [
                "12:9: warning: this step names connection 'order', which the flow does not declare under 'connections:'. Did you mean 'orders'?",
                "16:9: warning: this step names connection 'shared', which the flow does not declare under 'connections:'.",
            ])
        #expect(throws: FlowLoadError.self) { try flow.requiringDeclaredConnections() }
        do {
            _ = try flow.requiringDeclaredConnections()
        } catch {
            #expect(error.errors.map(\.location.line) == [12, 16])
            #expect(
                error.errors.first?.message
                    == "this step names connection 'order', which neither the flow nor its project declares (declared: orders)"
            )
        }
        let shared: OrderedDictionary = [
            "shared": ConnectionDefinition(
                name: "shared", kind: .sqlite(SQLiteConnectionSettings(database: "/tmp/s.db")), location: flow.location)
        ]
        let withProject = flow.applyingSharedConnections(shared)
        #expect(withProject.undeclaredConnectionUses.map(\.connection) == ["order"])
    }

    @Test func connectionLeftOutForAnUnsetVariableGetsNoSecondWarning() throws {
        let flow = try FlowLoader(environment: [:]).load(
            yaml:
                "flow: F\nconnections:\n  db:\n    url: ${env.DATABASE_URL}\nsteps:\n  - task: pg_query\n    connection: db\n    inputs: {query: x}\n"
        )
        #expect(flow.warnings.count == 1)
        #expect(flow.warnings.first?.message.contains("DATABASE_URL") == true)
    }
}
