import Foundation
import PostgresNIO

/// The statements of ``PostgresBatchedWrites``, prepared once per connection: PostgreSQL then plans each only
/// once instead of for every batch (planning these `unnest` statements took longer than running them).
///
/// A prepared statement's text is fixed, so the tables are named without their schema: the store's connections
/// start with their `search_path` set to the store's schema
/// (``PostgresExecutionStore/Configuration/clientConfiguration``).
enum PostgresBatchStatements {
    /// The writes of one batch, of every kind, in one statement: inserts records (running ones held by `owner`
    /// under a lease of `leaseSeconds`); journals entries of the runs `owner` holds, the records inserted here
    /// included; writes finished records over running ones held by `owner` with the same cancel request, and drops
    /// their live events. Returns a row per run with journal entries (`j`, its id and holder; none when the record
    /// is gone) and per record ended (`e`).
    ///
    /// Each table is changed by one part of the statement, so a run's creation, journal and end (its creation
    /// then inserted finished) go in one batch; an end whose running record is inserted in the same batch does not
    /// see it, and is finished by the store's transaction instead.
    struct WriteBatch: PostgresPreparedStatement {
        static let name = "flowlang_write_batch"
        static let sql = """
            WITH created AS (
                INSERT INTO flowlang_executions (id, flow, status, start_time, end_time, document, owner, lease_expires_at)
                SELECT c.id, c.flow, c.status, c.start_time, CASE WHEN c.finished THEN c.end_time END, c.document::json,
                       $18, now() + make_interval(secs => $19)
                FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::bool[], $6::timestamptz[], $7::text[])
                     AS c(id, flow, status, start_time, finished, end_time, document)
                RETURNING id
            ),
            held AS (
                SELECT id, owner FROM flowlang_executions WHERE id = ANY($8::text[])
                UNION ALL
                SELECT id, $18 FROM created WHERE id = ANY($8::text[])
            ),
            journaled AS (
                INSERT INTO flowlang_step_journal (execution_id, path, finished_at, entry)
                SELECT j.execution_id, j.path, j.finished_at, j.entry::json
                FROM unnest($8::text[], $9::text[], $10::timestamptz[], $11::text[]) AS j(execution_id, path, finished_at, entry)
                JOIN held ON held.id = j.execution_id AND held.owner = $18
                ON CONFLICT (execution_id, path) DO NOTHING
            ),
            ended AS (
                UPDATE flowlang_executions AS e
                SET status = f.status, end_time = f.end_time, document = f.document::json
                FROM unnest($12::text[], $13::text[], $14::timestamptz[], $15::text[], $16::bool[], $17::text[])
                     AS f(id, status, end_time, document, cancelled, cancel_reason)
                WHERE e.id = f.id AND e.status = 'running' AND e.owner = $18
                  AND (e.document->>'cancel_reason') IS NOT DISTINCT FROM (CASE WHEN f.cancelled THEN f.cancel_reason END)
                RETURNING e.id
            ),
            dropped AS (DELETE FROM flowlang_live_events WHERE execution_id IN (SELECT id FROM ended))
            SELECT 'j', id, owner FROM held
            UNION ALL
            SELECT 'e', id, NULL FROM ended
            """

        var creations: [PostgresBatchedWrites.Creation] = []
        var entries: [PostgresBatchedWrites.JournalEntry] = []
        var endings: [PostgresBatchedWrites.Ending] = []
        let owner: String
        let leaseSeconds: Double

        init(owner: String, leaseSeconds: Double) {
            self.owner = owner
            self.leaseSeconds = leaseSeconds
        }

        /// Whether the batch writes nothing.
        var isEmpty: Bool { creations.isEmpty && entries.isEmpty && endings.isEmpty }

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 19)
            bindings.append(creations.map(\.id))
            bindings.append(creations.map(\.flow))
            bindings.append(creations.map(\.status))
            bindings.append(creations.map(\.startTime))
            bindings.append(creations.map { $0.endTime != nil })
            bindings.append(creations.map { $0.endTime ?? $0.startTime })
            bindings.append(creations.map(\.document))
            bindings.append(entries.map(\.executionId))
            bindings.append(entries.map(\.path))
            bindings.append(entries.map(\.finishedAt))
            bindings.append(entries.map(\.document))
            bindings.append(endings.map(\.id))
            bindings.append(endings.map(\.status))
            bindings.append(endings.map(\.endTime))
            bindings.append(endings.map(\.document))
            bindings.append(endings.map { $0.cancelReason != nil })
            bindings.append(endings.map { $0.cancelReason ?? "" })
            bindings.append(owner)
            bindings.append(leaseSeconds)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> (kind: String, id: String, holder: String?) {
            try row.decode((String, String, String?).self)
        }
    }
}
