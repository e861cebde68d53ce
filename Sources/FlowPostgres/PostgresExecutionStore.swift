public import FlowCore
public import FlowServer
public import Foundation
public import Logging
import PostgresNIO
public import ServiceLifecycle

/// An ``ExecutionStore`` in PostgreSQL: records survive restarts, and several server instances share them.
///
/// The store is a ServiceLifecycle `Service`: its ``run()`` runs the connection pool (PostgresNIO's
/// `PostgresClient`, at most ``Configuration/poolSize`` connections), so it must run beside the application,
/// started before it and stopped after it, for as long as the store is used:
///
/// ```swift
/// let store = PostgresExecutionStore(configuration: try .init(url: databaseURL), logger: logger)
/// try await store.migrate()                       // before serving; safe when instances start together
/// let group = ServiceGroup(services: [store, app], gracefulShutdownSignals: [.sigterm], logger: logger)
/// ```
///
/// Every change is one transaction that locks the record (`SELECT … FOR UPDATE`), applies the
/// ``ExecutionTransition`` and writes it back, so a cancel request racing the run's end, on this instance or
/// another, never writes back a stale copy. Finished records are kept by count and age like the memory
/// store's; running ones are never deleted.
///
/// Each store instance has an ``owner`` id. A running execution is held by the instance that created or
/// claimed it, under a lease of ``leaseDuration`` that ``run()`` renews; when an instance dies its leases run
/// out and another claims its runs (``claimInterrupted(maxResumes:at:)``) and resumes them from their step
/// journal. Only the owner may journal a step or finish the run, so an instance paused past its lease (a
/// SIGSTOP, a long GC-like stall of the host) writes nothing once it wakes up.
public final class PostgresExecutionStore: ExecutionStore, Service {
    /// Where the database is; ``Configuration/redactedURL`` names it in messages.
    public let configuration: Configuration
    let logger: Logger
    let client: PostgresClient
    let tables: PostgresTables
    /// The creations, journal entries and ends of many runs, written in one statement.
    let batches: PostgresBatchedWrites
    let maxRecords: Int
    let maxAge: Duration
    /// When this instance's leases were renewed.
    let leaseRenewals = LeaseRenewals()
    /// This instance's id, stored as the owner of the runs it holds.
    public let owner: String
    /// How long a run stays held by its owner without a renewal; ``run()`` renews every third of it.
    public let leaseDuration: Duration
    /// Where ``listenForNotices(retryDelay:)`` passes other instances' notices on to ``notices``.
    let noticeStream = AsyncStream.makeStream(of: StoreNotice.self, bufferingPolicy: .bufferingNewest(16))
    /// How often the server looks for runs nobody holds: queued, handed back, or whose owner died (their lease
    /// ran out).
    public let sweepInterval: Duration?
    /// The lease a store has unless told otherwise: 30 s.
    public static let defaultLeaseDuration: Duration = .seconds(30)

    /// A store on `configuration`'s database. Nothing connects until ``migrate()`` or ``run()``.
    ///
    /// - Parameters:
    ///   - maxRecords: how many records to keep; the oldest finished ones go first.
    ///   - maxAge: how long to keep a finished record.
    ///   - leaseDuration: how long this instance's runs stay its own after it stops renewing them (it died);
    ///     zero is never renewed.
    ///   - sweepInterval: how often to look for runs nobody holds; nil: every second, or every half lease when
    ///     leases are shorter. A run of a dead instance is taken over at most `leaseDuration` plus
    ///     `sweepInterval` after it died.
    ///   - logger: where the pool logs connection problems.
    public init(
        configuration: Configuration,
        maxRecords: Int = 1000,
        maxAge: Duration = .seconds(3600),
        leaseDuration: Duration = PostgresExecutionStore.defaultLeaseDuration,
        sweepInterval: Duration? = nil,
        logger: Logger
    ) {
        self.configuration = configuration
        self.leaseDuration = leaseDuration
        self.sweepInterval = sweepInterval ?? max(min(leaseDuration / 2, .seconds(1)), .milliseconds(10))
        self.logger = logger
        self.maxRecords = max(1, maxRecords)
        self.maxAge = maxAge
        tables = PostgresTables(schema: configuration.schema)
        client = PostgresClient(configuration: configuration.clientConfiguration, backgroundLogger: logger)
        owner = UUID().uuidString.lowercased()
        batches = PostgresBatchedWrites(
            client: client, owner: owner, leaseSeconds: Self.seconds(leaseDuration), logger: logger)
    }

    /// Runs the connection pool, and renews this instance's leases, until the task is cancelled or a graceful
    /// shutdown is signalled; call it once. Queries wait while it is not running, so run it in the server's
    /// service group before the application.
    public func run() async throws {
        leaseRenewals.started(at: .now)
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.client.run() }
                group.addTask { await self.batches.run() }
                group.addTask { await self.renewLeases() }
                group.addTask { await self.listenForNotices() }
            }
        }
    }

    /// Creates the schema and tables, or brings them up to date, over a connection of its own (the pool need
    /// not run yet). Instances starting together take turns under an advisory lock: one applies the
    /// migrations, the others find them applied.
    ///
    /// - Returns: the names of the migrations this call applied; empty when the tables were up to date.
    /// - Throws: ``PostgresStoreError/unreachable(store:reason:)`` or
    ///   ``PostgresStoreError/migrationFailed(store:schema:reason:)``.
    @discardableResult
    public func migrate() async throws(PostgresStoreError) -> [String] {
        let connection = try await openConnection()
        do {
            let applied = try await PostgresMigrator.migrate(connection, tables: tables, logger: logger)
            try? await connection.close()
            if !applied.isEmpty {
                logger.info(
                    "migrated the execution store",
                    metadata: [
                        LogKey.store: "\(configuration.redactedURL)",
                        LogKey.migrations: "\(applied.joined(separator: ", "))",
                    ]
                )
            }
            return applied
        } catch {
            try? await connection.close()
            throw .migrationFailed(
                store: configuration.redactedURL, schema: configuration.schema, reason: PostgresFailure.reason(error))
        }
    }

    /// A running record without an idempotency key is inserted with those other runs create at the same moment.
    public func create(_ record: ExecutionRecord) async throws {
        if record.idempotencyKey == nil, record.status == .running, record.endTime == nil {
            return try await storeOperation("store execution \(record.id)") {
                _ = try await batches.queueCreation(record, mayWait: false).value()
            }
        }
        try await storeOperation("store execution \(record.id)") {
            try await client.query(
                """
                INSERT INTO \(unescaped: tables.executions)
                    (id, flow, status, start_time, end_time, document, idempotency_key, owner, lease_expires_at)
                VALUES (\(record.id.rawValue), \(record.flowName), \(record.status.rawValue), \(record.startTime), \(record.endTime),
                        \(record.storageJSON.jsonText)::json, \(record.idempotencyKey), \(owner),
                        now() + make_interval(secs => \(leaseSeconds)))
                """,
                logger: logger
            )
        }
    }

    public var queuesWrites: Bool { true }

    /// Queues the record's creation, which waits for the batch being sent; a run that ends before it is sent has
    /// it inserted finished instead (``PostgresPendingCreation``).
    public func queueCreate(_ record: ExecutionRecord) -> QueuedWrite {
        guard record.idempotencyKey == nil, record.status == .running, record.endTime == nil else {
            return QueuedWrite { try await self.create(record) }
        }
        let ticket = batches.queueCreation(record, mayWait: true)
        return QueuedWrite { [self] in
            try await storeOperation("store execution \(record.id)") { _ = try await ticket.value() }
        }
    }

    /// Inserts unless the key is taken (waiting for a concurrent insert of the same key to commit), then reads
    /// whichever record holds the key.
    public func createOnce(_ record: ExecutionRecord) async throws -> ExecutionRecord {
        guard let key = record.idempotencyKey else {
            try await create(record)
            return record
        }
        return try await storeOperation("store execution \(record.id)") {
            try await client.query(
                """
                INSERT INTO \(unescaped: tables.executions)
                    (id, flow, status, start_time, end_time, document, idempotency_key, owner, lease_expires_at)
                VALUES (\(record.id.rawValue), \(record.flowName), \(record.status.rawValue), \(record.startTime), \(record.endTime),
                        \(record.storageJSON.jsonText)::json, \(key), \(owner), now() + make_interval(secs => \(leaseSeconds)))
                ON CONFLICT (flow, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                """,
                logger: logger
            )
            let rows = try await client.query(
                "SELECT document FROM \(unescaped: tables.executions) WHERE flow = \(record.flowName) AND idempotency_key = \(key)",
                logger: logger
            )
            return try await Self.decodeAll(rows).first ?? record
        }
    }

    public func requestCancel(id: ExecutionID, reason: String) async throws -> ExecutionRecord? {
        try await storeOperation("request cancellation of execution \(id)") {
            try await batches.flush(id)
            return try await client.withTransaction(logger: logger) { connection -> ExecutionRecord? in
                guard var (record, _) = try await lockedRecordAndOwner(id, connection) else { return nil }
                guard (try? record.apply(.requestCancel(reason: reason))) != nil else { return record }
                try await update(record, connection)
                try await notify(.cancelRequested, connection)
                return record
            }
        }
    }

    public func finish(id: ExecutionID, result: ExecutionResult, events: [ExecutionEvent], at time: Date) async throws
        -> ExecutionRecord
    {
        let outcome = try await storeOperation("finish execution \(id)") {
            try await batches.flush(id)
            return try await client.withTransaction(logger: logger) {
                connection -> Result<ExecutionRecord, any Error> in
                guard let (locked, holder) = try await lockedRecordAndOwner(id, connection) else {
                    return .failure(ExecutionTransitionError(executionId: id, status: nil, transition: "finish"))
                }
                var record = locked
                if record.status == .running, let holder, holder != owner {
                    return .failure(LeaseLostError(executionId: id, owner: holder))
                }
                do throws(ExecutionTransitionError) {
                    try record.apply(.finish(result: result, events: events, at: time))
                } catch {
                    // Returned, not thrown: PostgresNIO would wrap it, and the caller expects it as it is.
                    return .failure(error)
                }
                try await update(record, connection)
                try await connection.query(
                    "DELETE FROM \(unescaped: tables.liveEvents) WHERE execution_id = \(id.rawValue)", logger: logger)
                return .success(record)
            }
        }
        return try outcome.get()
    }

    /// Writes the finished record, encoded by the caller, with those of other runs ending at the same moment: in
    /// place of the run's creation when that is not sent yet (``queueCreate(_:)``), or over the stored record when
    /// that is still as `running` left it (running, held by this instance, with the same cancel request).
    /// Otherwise it finishes the stored record in a transaction (``finish(id:result:events:at:)``), which says why
    /// it cannot.
    public func finish(_ running: ExecutionRecord, result: ExecutionResult, events: [ExecutionEvent], at time: Date)
        async throws -> ExecutionRecord
    {
        var finished = running
        guard (try? finished.apply(.finish(result: result, events: events, at: time))) != nil,
            let endTime = finished.endTime
        else {
            return try await finish(id: running.id, result: result, events: events, at: time)
        }
        let document = finished.storageJSON.jsonText
        if let (creation, ticket) = batches.takePendingCreation(running.id),
            creation.finish(with: PostgresBatchedWrites.Creation(finished, document: document))
        {
            batches.writes.wake()
            _ = try await storeOperation("finish execution \(running.id)") { try await ticket.value() }
            return finished
        }
        let ending = PostgresBatchedWrites.Ending(
            id: finished.id.rawValue, status: finished.status.rawValue, endTime: endTime, document: document,
            cancelReason: running.cancelReason)
        let outcome = try await storeOperation("finish execution \(running.id)") {
            try await batches.writes.submit(.ending(ending), key: running.id.rawValue)
        }
        if case .ended(true) = outcome { return finished }
        return try await finish(id: running.id, result: result, events: events, at: time)
    }

    public func record(id: ExecutionID) async throws -> ExecutionRecord? {
        try await storeOperation("read execution \(id)") {
            let rows = try await client.query(
                "SELECT document FROM \(unescaped: tables.executions) WHERE id = \(id.rawValue)",
                logger: logger
            )
            return try await Self.decodeAll(rows).first
        }
    }

    public func records(flow: String?, limit: Int) async throws -> [ExecutionRecord] {
        guard limit > 0 else { return [] }
        return try await storeOperation("list executions") {
            let rows: PostgresRowSequence
            if let flow {
                rows = try await client.query(
                    """
                    SELECT document FROM \(unescaped: tables.executions) WHERE flow = \(flow)
                    ORDER BY start_time DESC, id DESC LIMIT \(limit)
                    """,
                    logger: logger
                )
            } else {
                rows = try await client.query(
                    "SELECT document FROM \(unescaped: tables.executions) ORDER BY start_time DESC, id DESC LIMIT \(limit)",
                    logger: logger
                )
            }
            return try await Self.decodeAll(rows).reversed()
        }
    }

    /// Asks the pool for `SELECT 1`, waiting at most ``Configuration/reachabilityTimeout``. When the pool does
    /// not answer (it retries failed connections quietly), a connection of the store's own, given as long
    /// again, says why.
    ///
    /// - Throws: ``PostgresStoreError/unreachable(store:reason:)`` naming the cause, such as "connection
    ///   refused"; ``PostgresStoreError/queryFailed(store:operation:reason:)`` when the server accepts
    ///   connections but the pool still does not answer (its service is not running, or every connection is busy).
    public func checkReachable() async throws {
        let timeout = configuration.reachabilityTimeout
        let poolAnswered = await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await self.client.query("SELECT 1", logger: self.logger)) != nil }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        guard !poolAnswered else { return }
        let connection = try await openConnection(timeout: timeout)
        try? await connection.close()
        throw PostgresStoreError.queryFailed(
            store: configuration.redactedURL,
            operation: "answer the readiness check",
            reason:
                "the server accepts connections, but none of the store's \(configuration.poolSize) pooled ones answered "
                + "within \(timeout) (is the store's service running? are all its connections busy?)"
        )
    }

    /// The record `id` and the instance holding it, locked until the transaction on `connection` ends.
    private func lockedRecordAndOwner(_ id: ExecutionID, _ connection: PostgresConnection) async throws
        -> (ExecutionRecord, owner: String?)?
    {
        let rows = try await connection.query(
            "SELECT document, owner FROM \(unescaped: tables.executions) WHERE id = \(id.rawValue) FOR UPDATE",
            logger: logger
        )
        for try await (document, holder) in rows.decode((String, String?).self) {
            return (try ExecutionRecord(storageText: document), holder)
        }
        return nil
    }

    func update(_ record: ExecutionRecord, _ connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE \(unescaped: tables.executions)
            SET status = \(record.status.rawValue), end_time = \(record.endTime), document = \(record.storageJSON.jsonText)::json
            WHERE id = \(record.id.rawValue)
            """,
            logger: logger
        )
    }

    static func decodeAll(_ rows: PostgresRowSequence) async throws -> [ExecutionRecord] {
        var records: [ExecutionRecord] = []
        for try await document in rows.decode(String.self) {
            records.append(try ExecutionRecord(storageText: document))
        }
        return records
    }

}
