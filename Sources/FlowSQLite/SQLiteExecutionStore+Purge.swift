import FlowServer
public import Foundation
import GRDB

/// Retention: finished records beyond the store's limits go in the background, in transactions of their own, not
/// in the group commits of finishing runs.
extension SQLiteExecutionStore {
    /// Every second: a record may outlive the limits by about that long.
    public var purgeInterval: Duration? { .seconds(1) }

    /// How many records one purge transaction deletes at most, so the runs' writes queued meanwhile wait for
    /// a bounded transaction.
    static let purgeBatch = 100

    /// Deletes finished records that ended more than `maxAge` ago, and the oldest finished ones while more than
    /// `maxRecords` are stored (running ones count, and are never deleted), with their step journals,
    /// ``purgeBatch`` at a time until none is due. The records are counted once, by a reader, not by the writer.
    public func purge(at time: Date) async throws -> Int {
        let cutoff = time.timeIntervalSince1970 - Double(maxAge.components.seconds)
        var deleted = 0
        while true {
            let expired = try await database.write { db in try Self.deleteExpired(db, before: cutoff) }
            deleted += expired
            if expired < Self.purgeBatch { break }
        }
        let stored = try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM executions") }
        var beyond = (stored ?? 0) - maxRecords
        while beyond > 0 {
            let wanted = min(beyond, Self.purgeBatch)
            let oldest = try await database.write { db in try Self.deleteOldest(db, count: wanted) }
            deleted += oldest
            beyond -= oldest
            if oldest < wanted { break }
        }
        return deleted
    }

    /// Deletes at most ``purgeBatch`` finished records that started and ended before `cutoff`: a walk of the
    /// newest-first index from its old end.
    private static func deleteExpired(_ db: Database, before cutoff: Double) throws -> Int {
        try db.execute(
            sql: """
                DELETE FROM executions WHERE rowid IN (
                    SELECT rowid FROM executions
                    WHERE start_time < ?1 AND end_time < ?1 AND status != 'running'
                    ORDER BY start_time, id LIMIT ?2
                )
                """,
            arguments: [cutoff, purgeBatch]
        )
        return db.changesCount
    }

    /// Deletes the `count` oldest finished records (fewer when fewer are finished): a walk of the newest-first
    /// index from its old end.
    private static func deleteOldest(_ db: Database, count: Int) throws -> Int {
        try db.execute(
            sql: """
                DELETE FROM executions WHERE rowid IN (
                    SELECT rowid FROM executions WHERE status != 'running' ORDER BY start_time, id LIMIT ?
                )
                """,
            arguments: [count]
        )
        return db.changesCount
    }
}
