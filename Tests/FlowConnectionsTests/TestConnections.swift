import FlowConnections
import FlowCore
import Foundation
import Logging
import OrderedCollections

/// What the connection tests share: a fresh SQLite file per test, the PostgreSQL server from
/// `FLOWLANG_TEST_POSTGRES_URL` (`scripts/postgres-test-server.sh start` prints one; its tests are skipped
/// without it), tables of their own so tests run in parallel, and flows run against running pools.
enum TestConnections {
    static let postgresURL = ProcessInfo.processInfo.environment["FLOWLANG_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    static var hasPostgres: Bool { postgresURL != nil }

    static let logger: Logger = {
        var logger = Logger(label: "flowlang.connections.tests")
        logger.logLevel = .error
        return logger
    }()

    /// A database file in a directory of its own that does not exist yet: the pool creates both.
    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("flowlang-db-\(UUID().uuidString)")
            .appendingPathComponent("test.db").path
    }

    /// `t_` and 12 hexadecimal digits: a table no other test uses.
    static func tableName() -> String {
        "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
    }

    /// A flow with one connection `db` and `body` (its `steps:` and `outputs:`), `${DB_FILE}` and `${PG_URL}`
    /// substituted at load. `timeout` (seconds) is the PostgreSQL connection's wait for a pooled connection.
    static func flow(
        connection type: String, _ body: String, file: String = temporaryDatabase(), poolSize: Int = 5,
        timeout: Int? = nil
    ) throws -> FlowDefinition {
        let connection =
            type == "sqlite"
            ? "    type: sqlite\n    database: ${DB_FILE}"
            : "    type: postgres\n    url: ${env.PG_URL}\n    pool_size: \(poolSize)"
                + (timeout.map { "\n    timeout: \($0)" } ?? "")
        let yaml = "flow: Database\nconnections:\n  db:\n\(connection)\n\(body)\n"
        let environment = ["DB_FILE": file, "PG_URL": postgresURL ?? "postgres://nobody@127.0.0.1:1/none"]
        return try FlowLoader(environment: environment).load(yaml: yaml)
    }

    /// The built-in tasks plus `extra`.
    static func registry(_ extra: (inout TaskRegistry) -> Void = { _ in }) -> TaskRegistry {
        var registry = TaskRegistry()
        registry.registerDatabaseTasks()
        extra(&registry)
        return registry
    }

    static func run(
        _ flow: FlowDefinition,
        inputs: OrderedDictionary<String, FlowValue> = [:],
        registry: TaskRegistry = registry(),
        pools: ConnectionPools,
        options: ExecutionOptions = ExecutionOptions()
    ) async throws -> ExecutionResult {
        try await FlowExecutor(registry: registry, connections: pools).execute(flow, inputs: inputs, options: options)
    }
}
