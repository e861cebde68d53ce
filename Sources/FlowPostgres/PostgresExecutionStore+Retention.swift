public import FlowServer
import Foundation
import Logging
import PostgresNIO

/// Retention: finished records beyond the newest `maxRecords`, or finished longer than `maxAge` ago, deleted in
/// bounded batches by the store's service rather than by the requests that finish runs.
extension PostgresExecutionStore {
    /// How many records one purge statement deletes at most.
    static let purgeBatch = 1000

    /// Deletes the finished records retention no longer keeps, a batch of at most ``purgeBatch`` per statement,
    /// until none is left; running ones are never deleted. One instance purges at a time
    /// (`pg_try_advisory_xact_lock`): another that tries at the same moment skips, and its next turn finds the
    /// work done.
    public func purge() async throws {
        while try await purgeBatchOfRecords() == Self.purgeBatch {}
    }

    /// Purges every second until cancelled; a purge that fails (the database is down) is logged and tried again
    /// at the next turn.
    func purgeEverySecond() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(1))
                try await purge()
            } catch is CancellationError {
                return
            } catch {
                logger.warning(
                    "could not delete old execution records",
                    metadata: ["store": "\(configuration.redactedURL)", "error": "\(PostgresFailure.reason(error))"]
                )
            }
        }
    }

    /// Deletes one batch; returns how many records it deleted (zero when another instance holds the lock).
    private func purgeBatchOfRecords() async throws -> Int {
        let (seconds, attoseconds) = maxAge.components
        let cutoff = Date().addingTimeInterval(-(Double(seconds) + Double(attoseconds) / 1e18))
        return try await storeOperation("delete old execution records") {
            try await client.withTransaction(logger: logger) { connection in
                var locked = false
                let lock = try await connection.query("SELECT pg_try_advisory_xact_lock(\(tables.evictionLockKey))", logger: logger)
                for try await acquired in lock.decode(Bool.self) { locked = acquired }
                guard locked else { return 0 }
                let rows = try await connection.query(
                    """
                    WITH deleted AS (
                        DELETE FROM \(unescaped: tables.executions) WHERE id IN (
                            SELECT id FROM \(unescaped: tables.executions) WHERE status <> 'running' AND (
                                end_time < \(cutoff)
                                OR id IN (
                                    SELECT id FROM \(unescaped: tables.executions)
                                    ORDER BY start_time DESC, seq DESC OFFSET \(maxRecords)
                                )
                            )
                            LIMIT \(Self.purgeBatch)
                        ) RETURNING 1
                    )
                    SELECT count(*)::bigint FROM deleted
                    """,
                    logger: logger
                )
                var deleted = 0
                for try await count in rows.decode(Int64.self) { deleted = Int(count) }
                return deleted
            }
        }
    }
}
