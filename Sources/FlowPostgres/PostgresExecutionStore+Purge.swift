import FlowServer
public import Foundation
import PostgresNIO

/// Retention: finished records beyond the store's limits go in the background, off the runs' statements.
extension PostgresExecutionStore {
    /// Every second (a tenth of the lease when leases are shorter): old records go in the background, not in the
    /// transactions of finishing runs.
    public var purgeInterval: Duration? { min(.seconds(1), leaseDuration / 10) }

    /// How many records one purge statement deletes at most.
    public static let purgeBatch = 500

    /// Deletes finished records older than `maxAge` and those beyond the newest `maxRecords`, with their step
    /// journals and live events, ``purgeBatch`` at a time until none is due, in transactions of their own; one
    /// instance at a time (an advisory lock: another instance purging at the same moment skips its turn).
    public func purge(at time: Date) async throws -> Int {
        let cutoff = time.addingTimeInterval(-Self.seconds(maxAge))
        var deleted = 0
        while true {
            let batch = try await storeOperation("delete old execution records") {
                try await client.withTransaction(logger: logger) { connection -> Int in
                    var locked = false
                    let lock = try await connection.query(
                        "SELECT pg_try_advisory_xact_lock(\(tables.evictionLockKey))", logger: logger)
                    for try await acquired in lock.decode(Bool.self) { locked = acquired }
                    guard locked else { return 0 }
                    let rows = try await connection.query(
                        """
                        WITH due AS (
                            (SELECT id FROM \(unescaped: tables.executions)
                             WHERE start_time < \(cutoff) AND status <> 'running' AND end_time < \(cutoff)
                             LIMIT \(Self.purgeBatch))
                            UNION
                            (SELECT id FROM (
                                SELECT id, status FROM \(unescaped: tables.executions)
                                ORDER BY start_time DESC, id DESC OFFSET \(maxRecords)
                             ) AS older WHERE status <> 'running' LIMIT \(Self.purgeBatch))
                        ),
                        gone AS (DELETE FROM \(unescaped: tables.executions) WHERE id IN (SELECT id FROM due) RETURNING id),
                        journal AS (
                            DELETE FROM \(unescaped: tables.journal) WHERE execution_id = ANY(ARRAY(SELECT id FROM gone))
                        ),
                        events AS (
                            DELETE FROM \(unescaped: tables.liveEvents) WHERE execution_id = ANY(ARRAY(SELECT id FROM gone))
                        )
                        SELECT count(*)::int8 FROM gone
                        """,
                        logger: logger
                    )
                    var count = 0
                    for try await value in rows.decode(Int.self) { count = value }
                    return count
                }
            }
            deleted += batch
            if batch < Self.purgeBatch { return deleted }
        }
    }
}
