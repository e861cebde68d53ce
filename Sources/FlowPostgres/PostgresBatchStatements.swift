import Foundation
import PostgresNIO

/// The statements of ``PostgresBatchedWrites``, prepared once per connection: PostgreSQL then plans each only
/// once instead of for every batch (planning these `unnest` statements took longer than running them).
///
/// A prepared statement's text is fixed, so the tables are named without their schema: the store's connections
/// start with their `search_path` set to the store's schema
/// (``PostgresExecutionStore/Configuration/clientConfiguration``).
enum PostgresBatchStatements {
    /// Inserts running records, held by `owner` under a lease of `leaseSeconds`.
    struct InsertExecutions: PostgresPreparedStatement {
        static let name = "flowlang_insert_executions"
        static let sql = """
            INSERT INTO flowlang_executions (id, flow, status, start_time, document, owner, lease_expires_at)
            SELECT n.id, n.flow, n.status, n.start_time, n.document::json, $6, now() + make_interval(secs => $7)
            FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[])
                 AS n(id, flow, status, start_time, document)
            """

        let creations: [PostgresBatchedWrites.Creation]
        let owner: String
        let leaseSeconds: Double

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 7)
            bindings.append(creations.map(\.id))
            bindings.append(creations.map(\.flow))
            bindings.append(creations.map(\.status))
            bindings.append(creations.map(\.startTime))
            bindings.append(creations.map(\.document))
            bindings.append(owner)
            bindings.append(leaseSeconds)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws {}
    }

    /// Journals entries of the runs `owner` holds; returns each run's id and holder (no row: the record is gone).
    struct InsertJournalEntries: PostgresPreparedStatement {
        static let name = "flowlang_insert_journal_entries"
        static let sql = """
            WITH held AS (SELECT id, owner FROM flowlang_executions WHERE id = ANY($1::text[])),
            written AS (
                INSERT INTO flowlang_step_journal (execution_id, path, finished_at, entry)
                SELECT j.execution_id, j.path, j.finished_at, j.entry::json
                FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[]) AS j(execution_id, path, finished_at, entry)
                JOIN held ON held.id = j.execution_id AND held.owner = $5
                ON CONFLICT (execution_id, path) DO NOTHING
            )
            SELECT id, owner FROM held
            """

        let entries: [PostgresBatchedWrites.JournalEntry]
        let owner: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(entries.map(\.executionId))
            bindings.append(entries.map(\.path))
            bindings.append(entries.map(\.finishedAt))
            bindings.append(entries.map(\.document))
            bindings.append(owner)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> (id: String, holder: String?) {
            try row.decode((String, String?).self)
        }
    }

    /// Writes finished records over running ones held by `owner` with the same cancel request, and drops their live
    /// events; returns the ids written.
    struct EndExecutions: PostgresPreparedStatement {
        static let name = "flowlang_end_executions"
        static let sql = """
            WITH ended AS (
                UPDATE flowlang_executions AS e
                SET status = f.status, end_time = f.end_time, document = f.document::json
                FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::bool[], $6::text[])
                     AS f(id, status, end_time, document, cancelled, cancel_reason)
                WHERE e.id = f.id AND e.status = 'running' AND e.owner = $7
                  AND (e.document->>'cancel_reason') IS NOT DISTINCT FROM (CASE WHEN f.cancelled THEN f.cancel_reason END)
                RETURNING e.id
            ),
            dropped AS (DELETE FROM flowlang_live_events WHERE execution_id IN (SELECT id FROM ended))
            SELECT id FROM ended
            """

        let endings: [PostgresBatchedWrites.Ending]
        let owner: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 7)
            bindings.append(endings.map(\.id))
            bindings.append(endings.map(\.status))
            bindings.append(endings.map(\.endTime))
            bindings.append(endings.map(\.document))
            bindings.append(endings.map { $0.cancelReason != nil })
            bindings.append(endings.map { $0.cancelReason ?? "" })
            bindings.append(owner)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> String {
            try row.decode(String.self)
        }
    }
}
