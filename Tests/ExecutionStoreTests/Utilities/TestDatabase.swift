import FlowPostgres
import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL server the tests use, from `FLOWLANG_TEST_POSTGRES_URL` (`scripts/postgres-test-server.sh start`
/// prints one). Each store gets a schema of its own, dropped afterwards, so tests run in parallel.
enum TestDatabase {
    static let url = ProcessInfo.processInfo.environment["FLOWLANG_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// Whether a server is configured; the tests that need one are skipped otherwise.
    static var isAvailable: Bool { url != nil }

    /// Errors only: the pool warns when a test queries a store whose service task has not started yet (the
    /// query waits for it), and every migration logs.
    static let logger: Logger = {
        var logger = Logger(label: "flowlang.postgres.tests")
        logger.logLevel = .error
        return logger
    }()

    /// A fresh schema name: `flowtest_` and 16 hexadecimal digits.
    static func newSchema() -> String {
        "flowtest_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    }

    /// The test server's configuration, on `schema`.
    static func configuration(schema: String) throws -> PostgresExecutionStore.Configuration {
        guard let url else { throw TestDatabaseError.notConfigured }
        var configuration = try PostgresExecutionStore.Configuration(url: url)
        configuration.schema = schema
        return configuration
    }

    /// A store on `schema`, not yet migrated nor running.
    static func makeStore(
        schema: String,
        maxRecords: Int = 1000,
        maxAge: Duration = .seconds(3600),
        leaseDuration: Duration = .seconds(30)
    ) throws -> PostgresExecutionStore {
        PostgresExecutionStore(
            configuration: try configuration(schema: schema),
            maxRecords: maxRecords,
            maxAge: maxAge,
            leaseDuration: leaseDuration,
            logger: logger
        )
    }

    /// Runs `body` with a migrated, running store on a schema of its own, then drops the schema.
    static func withStore<Result>(
        maxRecords: Int = 1000,
        maxAge: Duration = .seconds(3600),
        _ body: (PostgresExecutionStore) async throws -> Result
    ) async throws -> Result {
        try await withSchema { schema in
            let store = try makeStore(schema: schema, maxRecords: maxRecords, maxAge: maxAge)
            try await store.migrate()
            return try await running([store]) { try await body(store) }
        }
    }

    /// Runs `body` with a fresh schema name, then drops the schema if it was created.
    static func withSchema<Result>(_ body: (String) async throws -> Result) async throws -> Result {
        let schema = newSchema()
        do {
            let result = try await body(schema)
            try await dropSchema(schema)
            return result
        } catch {
            try? await dropSchema(schema)
            throw error
        }
    }

    /// Runs `body` while the stores' services run, as a server's service group runs them.
    @discardableResult
    static func running<Result>(_ stores: [PostgresExecutionStore], _ body: () async throws -> Result) async throws
        -> Result
    {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in stores { group.addTask { try await store.run() } }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// How many connections the server has from clients calling themselves `applicationName`.
    static func connectionCount(applicationName: String) async throws -> Int {
        try await withConnection { connection in
            let rows = try await connection.query(
                "SELECT count(*)::bigint FROM pg_stat_activity WHERE application_name = \(applicationName)",
                logger: logger
            )
            var count = 0
            for try await value in rows.decode(Int.self) { count = value }
            return count
        }
    }

    /// The names recorded in `schema`'s migrations table.
    static func appliedMigrations(schema: String) async throws -> [String] {
        try await withConnection { connection in
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT name FROM \"\(schema)\".flowlang_migrations ORDER BY name"),
                logger: logger
            )
            var names: [String] = []
            for try await name in rows.decode(String.self) { names.append(name) }
            return names
        }
    }

    private static func dropSchema(_ schema: String) async throws {
        try await withConnection { connection in
            try await connection.query(
                PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"), logger: logger)
        }
    }

    /// A connection of the tests' own, for looking behind the store.
    @discardableResult
    private static func withConnection<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result)
        async throws -> Result
    {
        let store = try configuration(schema: "public")
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: store.host,
                port: store.port,
                username: store.username,
                password: store.password,
                database: store.database,
                tls: .disable
            ),
            id: 1,
            logger: logger
        )
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

enum TestDatabaseError: Error {
    case notConfigured
}
