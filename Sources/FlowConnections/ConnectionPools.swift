public import CoreMetrics
public import FlowCore
public import Logging
import PostgresNIO
public import ServiceLifecycle
import Synchronization

/// The database pools of one server: one per connection (``ConnectionDefinition/PoolKey``), opened on first use
/// and shared by every execution that names it, closed at graceful shutdown.
///
/// It is a ServiceLifecycle `Service`: ``run()`` runs the PostgreSQL pools' clients and, when it ends, closes
/// every pool. Run it beside the application, listed before it so that it stops after it:
/// ```swift
/// let pools = ConnectionPools(logger: logger)
/// let executor = FlowExecutor(registry: registry, connections: pools)
/// let group = ServiceGroup(services: [pools, app], gracefulShutdownSignals: [.sigterm], logger: logger)
/// ```
/// Pools open lazily, so a flow whose database is down still loads and serves its other steps; `/health` and
/// `flowlang doctor` show whether each connection works.
public final class ConnectionPools: ConnectionProvider, Service {
    private enum Pool {
        case postgres(PostgresPool)
        case sqlite(SQLitePool)

        var value: any Sendable {
            switch self {
            case .postgres(let pool): pool
            case .sqlite(let pool): pool
            }
        }

        var status: ConnectionStatus {
            switch self {
            case .postgres(let pool): pool.status
            case .sqlite(let pool): pool.status
            }
        }
    }

    private struct State {
        var pools: [ConnectionDefinition.PoolKey: Pool] = [:]
        var isClosed = false
    }

    private let state = Mutex(State())
    private let clients: AsyncStream<PostgresClient>
    private let newClient: AsyncStream<PostgresClient>.Continuation
    private let logger: Logger
    private let metrics: (any MetricsFactory)?

    /// - Parameters:
    ///   - metrics: where `flowlang_db_pool_size`, `flowlang_db_pool_in_use` and `flowlang_db_pool_wait_seconds`
    ///     (by `connection`) are recorded; none when nil.
    public init(logger: Logger, metrics: (any MetricsFactory)? = nil) {
        self.logger = logger
        self.metrics = metrics
        (clients, newClient) = AsyncStream.makeStream(of: PostgresClient.self)
    }

    /// Runs the PostgreSQL clients until the task is cancelled or a graceful shutdown is signalled, then closes
    /// every pool; later requests for a pool fail with `ConnectionError`. Call it once.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            await withGracefulShutdownHandler {
                for await client in clients {
                    group.addTask { await client.run() }
                }
            } onGracefulShutdown: {
                self.newClient.finish()
            }
            // Cancelling a client's run closes its connections; executions have finished by now.
            group.cancelAll()
        }
        close()
    }

    /// Runs `body` with pools that are running, and closes them when `body` returns: for programs and tests
    /// that run flows without a service group.
    public static func withPools<Result: Sendable>(
        logger: Logger,
        metrics: (any MetricsFactory)? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (ConnectionPools) async throws -> Result
    ) async throws -> Result {
        let pools = ConnectionPools(logger: logger, metrics: metrics)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pools.run() }
            defer { group.cancelAll() }
            return try await body(pools)
        }
    }

    public func pool(for connection: ConnectionDefinition) async throws -> any Sendable {
        let key = connection.poolKey
        let outcome = state.withLock { state -> Result<Pool, TaskError> in
            if state.isClosed {
                return .failure(
                    TaskError(
                        "connection '\(connection.name)' is closed: the server is shutting down",
                        type: "ConnectionError"))
            }
            if let pool = state.pools[key] { return .success(pool) }
            switch connection.kind {
            case .postgres(let settings):
                let usage = PoolUsage(connection: connection.name, size: settings.poolSize, metrics: metrics)
                var poolLogger = logger
                poolLogger[metadataKey: "connection"] = .string(connection.name)
                let pool = PostgresPool(name: connection.name, settings: settings, usage: usage, logger: poolLogger)
                newClient.yield(pool.client)
                state.pools[key] = .postgres(pool)
                return .success(.postgres(pool))
            case .sqlite(let settings):
                let usage = PoolUsage(connection: connection.name, size: SQLitePool.readerCount + 1, metrics: metrics)
                do {
                    let pool = try SQLitePool(name: connection.name, settings: settings, usage: usage)
                    state.pools[key] = .sqlite(pool)
                    return .success(.sqlite(pool))
                } catch let error as TaskError {
                    return .failure(error)
                } catch {
                    return .failure(
                        TaskError(
                            "connection '\(connection.name)' cannot open its database: \(error)",
                            type: "ConnectionError"))
                }
            }
        }
        return try outcome.get().value
    }

    public func status(of connection: ConnectionDefinition) -> ConnectionStatus {
        if let pool = state.withLock({ $0.pools[connection.poolKey] }) { return pool.status }
        switch connection.kind {
        case .postgres(let settings): return ConnectionStatus(state: .notOpened, size: settings.poolSize)
        case .sqlite: return ConnectionStatus(state: .notOpened, size: SQLitePool.readerCount + 1)
        }
    }

    private func close() {
        let pools = state.withLock { state in
            state.isClosed = true
            return Array(state.pools.values)
        }
        for pool in pools {
            switch pool {
            case .postgres(let pool): pool.usage.closed()
            case .sqlite(let pool): pool.close()
            }
        }
    }
}
