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
    /// `maxRecords` are stored, with their step journals, ``purgeBatch`` at a time until none is due.
    public func purge(at time: Date) async throws -> Int {
        let cutoff = time.timeIntervalSince1970 - Double(maxAge.components.seconds)
        var deleted = 0
        while true {
            let (count, more) = try await database.write { [maxRecords] db in
                try Self.deleteDue(db, before: cutoff, keeping: maxRecords, limit: Self.purgeBatch)
            }
            deleted += count
            if !more { return deleted }
        }
    }

    /// Deletes finished records that started and ended before `cutoff`, then the oldest finished ones while more
    /// than `maxRecords` are stored (running ones count, and are never deleted), `limit` at most, and tells whether
    /// more may be due. Both walk the newest-first index from its old end, not the table.
    private static func deleteDue(_ db: Database, before cutoff: Double, keeping maxRecords: Int, limit: Int) throws
        -> (deleted: Int, more: Bool)
    {
        try db.execute(
            sql: """
                DELETE FROM executions WHERE rowid IN (
                    SELECT rowid FROM executions
                    WHERE start_time < ?1 AND end_time < ?1 AND status != 'running'
                    ORDER BY start_time, id LIMIT ?2
                )
                """,
            arguments: [cutoff, limit]
        )
        let old = db.changesCount
        guard old < limit else { return (old, true) }
        let stored = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM executions") ?? 0
        let beyond = stored - maxRecords
        let wanted = min(beyond, limit - old)
        guard wanted > 0 else { return (old, false) }
        try db.execute(
            sql: """
                DELETE FROM executions WHERE rowid IN (
                    SELECT rowid FROM executions WHERE status != 'running' ORDER BY start_time, id LIMIT ?
                )
                """,
            arguments: [wanted]
        )
        let oldest = db.changesCount
        return (old + oldest, oldest == wanted && wanted < beyond)
    }
}
