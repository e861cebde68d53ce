public import FlowCore
import FlowPostgres
import Logging
import NIOCore
import NIOSSL
public import PostgresNIO
import Synchronization

/// The pool behind one `type: postgres` connection: PostgresNIO's `PostgresClient`, run by ``ConnectionPools``,
/// with its leases counted for `/health` and `/metrics`.
///
/// A custom task gets it with `context.postgres()` and runs its statements on a leased connection; the lease
/// ends with the closure, also when it throws or the execution is cancelled:
/// ```swift
/// registry.register("ReserveStock") { inputs, context in
///     let pool = try await context.postgres()
///     let rows = try await pool.query("SELECT qty FROM stock WHERE sku = $1", [inputs["sku"] ?? .null])
///     return ["available": rows.first?["qty"] ?? 0]
/// }
/// ```
public final class PostgresPool: SQLDatabase {
    /// The connection's name in the flow.
    public let name: String
    /// The connection's settings; printed, they show no password.
    public let settings: PostgresConnectionSettings
    let client: PostgresClient
    let usage: PoolUsage
    let logger: Logger

    init(name: String, settings: PostgresConnectionSettings, usage: PoolUsage, logger: Logger) {
        self.name = name
        self.settings = settings
        self.usage = usage
        self.logger = logger
        // A lazily opened pool is leased from as soon as it exists, before ConnectionPools has started its run(),
        // and PostgresNIO warns about every such lease although it only waits a moment: below errors, the pool's
        // own log stays quiet; its failures reach steps as ConnectionError and /health as the pool's state.
        var clientLogger = logger
        clientLogger.logLevel = max(logger.logLevel, .error)
        client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: clientLogger)
    }

    /// Runs `body` on a leased connection, returned to the pool when `body` ends, however it ends.
    ///
    /// Waiting for a connection is bounded by the connection's `timeout:`: PostgresNIO's pool keeps retrying a
    /// server that refuses connections for a minute before it gives up, and a step should fail sooner. When the
    /// calling task is cancelled (the execution is cancelled, the step times out), the statement `body` is running
    /// is cancelled too (the server stops it within a second), and an open transaction rolls back.
    ///
    /// - Throws: what `body` throws; PostgresNIO's errors become `TaskError`s of type `DatabaseError` (the
    ///   server's message and SQLSTATE) or `ConnectionError` (no connection within the timeout, or it broke).
    public func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let start = ContinuousClock.now
        let leased = LeaseFlag()
        let (client, usage, timeout, name) = (client, usage, settings.timeout, name)
        do {
            return try await withThrowingTaskGroup(of: Result?.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        leased.set()
                        usage.acquired(after: .now - start)
                        defer { usage.released() }
                        // PostgresNIO does not stop a running statement when its task is cancelled: closing the
                        // connection ends the wait at once; the pool replaces it, and the server ends the statement
                        // within client_connection_check_interval.
                        do {
                            return try await withTaskCancellationHandler {
                                try await body(connection)
                            } onCancel: {
                                let _: EventLoopFuture<Void> = connection.close()
                            }
                        } catch {
                            // Closed on cancellation: once closed, the pool has dropped it, so releasing the lease
                            // cannot hand the dead connection to a step waiting for one.
                            if Task.isCancelled { try? await connection.closeFuture.get() }
                            throw error
                        }
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    guard leased.isSet else {
                        let reason = await self.whyNoConnection(within: timeout)
                        throw TaskError(
                            "connection '\(name)' failed: \(reason)", type: DatabaseFailure.connectionErrorType)
                    }
                    return nil
                }
                while let finished = try await group.next() {
                    guard let result = finished else { continue }
                    group.cancelAll()
                    return result
                }
                throw CancellationError()
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let failure = DatabaseFailure.postgres(error, connection: name)
            if let failure = failure as? TaskError, failure.type == DatabaseFailure.connectionErrorType {
                usage.failed(failure.message)
            }
            throw failure
        }
    }

    /// Runs one statement with `parameters` bound to `$1`, `$2`, … and returns its rows as objects keyed by
    /// column name (see docs/databases.md for how values map).
    public func query(_ sql: String, _ parameters: [FlowValue] = []) async throws -> [FlowValue] {
        let logger = logger
        return try await withConnection { connection in
            try await Self.rows(of: sql, parameters, on: connection, logger: logger).rows
        }
    }

    public var placeholderStyle: SQLPlaceholderStyle { .numbered }

    /// Runs one statement with `parameters` bound to `$1`, `$2`, … and returns how many rows it changed.
    public func execute(_ sql: String, _ parameters: [FlowValue] = []) async throws -> Int {
        let logger = logger
        return try await withConnection { connection in
            try await Self.rows(of: sql, parameters, on: connection, logger: logger).affected
        }
    }

    /// Runs `statements` in order on one connection in one transaction, rolled back when one fails or the
    /// calling task is cancelled.
    public func transaction(_ statements: [SQLStatement]) async throws -> [SQLStatementResult] {
        let logger = logger
        return try await withConnection { connection in
            try await connection.withTransaction(logger: logger) { connection in
                var results: [SQLStatementResult] = []
                for statement in statements {
                    let result = try await Self.rows(
                        of: statement.sql, statement.parameters, on: connection, logger: logger)
                    results.append(
                        SQLStatementResult(rowsAffected: result.affected, rows: result.rows.isEmpty ? nil : result.rows)
                    )
                }
                return results
            }
        }
    }

    /// Runs `sql` on `connection` (leased by ``withConnection(_:)``, which cancels it with the task).
    static func rows(
        of sql: String,
        _ parameters: [FlowValue],
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> (rows: [FlowValue], affected: Int) {
        let query = PostgresQuery(unsafeSQL: sql, binds: PostgresValues.bindings(parameters))
        // The future-returning query is the one that reports the command tag's row count.
        let future: EventLoopFuture<PostgresQueryResult> = connection.query(query, logger: logger)
        let result = try await future.get()
        return (try result.rows.map(PostgresValues.object(of:)), result.metadata.rows ?? 0)
    }

    /// How the pool is doing.
    var status: ConnectionStatus { usage.status }
}

/// Set once a lease has begun, so the lease deadline knows it has passed.
private final class LeaseFlag: Sendable {
    private let value = Mutex(false)

    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

extension PostgresConnectionSettings {
    /// PostgresNIO's pool configuration for these settings.
    var clientConfiguration: PostgresClient.Configuration {
        var client = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tls.clientTLS
        )
        client.options.maximumConnections = poolSize
        // At least one: PostgresNIO's pool opens a replacement for a closed connection (a cancelled statement's)
        // only below its minimum, so with none a step waiting for a connection could wait for its timeout.
        client.options.minimumConnections = max(1, minPoolSize)
        client.options.connectTimeout = timeout
        // A statement cancelled by closing its connection then stops on the server within a second too, not when it
        // next writes to the socket (PostgreSQL 14 and later).
        client.options.additionalStartupParameters = [
            ("application_name", "flowlang"), ("client_connection_check_interval", "1000"),
        ]
        return client
    }
}

extension PostgresConnectionSettings.TLSMode {
    var clientTLS: PostgresClient.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch self {
        case .disable: return .disable
        case .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        return .require(configuration)
    }
}
