import FlowCore
import FlowServer
import Foundation
import Logging
import PostgresNIO

/// The writes every run makes — its creation, a journal entry per task step, its end — batched across runs
/// (``StatementBatcher``): one statement writes the rows of every run that wrote at the same moment.
///
/// Each statement keeps the checks of the store's single-run writes: a journal entry is written only while this
/// instance holds the run, and an end only over a record still running, held by this instance, with the cancel
/// request its run knew of; a run whose record changed otherwise is finished by the store's transaction instead.
struct PostgresBatchedWrites: Sendable {
    /// A new running record, encoded by its caller.
    struct Creation: Sendable {
        let id: String
        let flow: String
        let status: String
        let startTime: Date
        let document: String
    }

    /// A task step's outcome to journal.
    struct JournalEntry: Sendable {
        let executionId: String
        let path: String
        let finishedAt: Date
        let document: String
    }

    /// A finished record, encoded by its caller, to write over the running one.
    struct Ending: Sendable {
        let id: String
        let status: String
        let endTime: Date
        let document: String
        /// The cancel request the run knew of; the stored record must have the same.
        let cancelReason: String?
    }

    let creations: StatementBatcher<Creation, Void>
    /// Each entry's outcome is the instance holding its run: `.some(nil)` when none, nil when the record is gone.
    let journalEntries: StatementBatcher<JournalEntry, String??>
    /// Each ending's outcome is whether it was written.
    let endings: StatementBatcher<Ending, Bool>

    /// Batches writing through `client` for instance `owner`, whose runs are leased for `leaseSeconds`.
    init(
        client: PostgresClient, tables: PostgresTables, owner: String, leaseSeconds: Double, poolSize: Int,
        logger: Logger
    ) {
        // Two statements of a kind at a time: one waiting on a locked row does not hold up every run's writes, and
        // the writes made meanwhile still gather into batches.
        let (inFlight, batch) = (min(2, poolSize), 100)
        creations = StatementBatcher(maxInFlight: inFlight, maxBatch: batch) { creations in
            try await client.query(
                """
                INSERT INTO \(unescaped: tables.executions) (id, flow, status, start_time, document, owner, lease_expires_at)
                SELECT n.id, n.flow, n.status, n.start_time, n.document::json, \(owner), now() + make_interval(secs => \(leaseSeconds))
                FROM unnest(\(creations.map(\.id))::text[], \(creations.map(\.flow))::text[], \(creations.map(\.status))::text[],
                            \(creations.map(\.startTime))::timestamptz[], \(creations.map(\.document))::text[])
                     AS n(id, flow, status, start_time, document)
                """,
                logger: logger
            )
            return creations.map { _ in () }
        }
        journalEntries = StatementBatcher(maxInFlight: inFlight, maxBatch: batch) { entries in
            let ids = entries.map(\.executionId)
            let rows = try await client.query(
                """
                WITH held AS (SELECT id, owner FROM \(unescaped: tables.executions) WHERE id = ANY(\(ids)::text[])),
                written AS (
                    INSERT INTO \(unescaped: tables.journal) (execution_id, path, finished_at, entry)
                    SELECT j.execution_id, j.path, j.finished_at, j.entry::json
                    FROM unnest(\(ids)::text[], \(entries.map(\.path))::text[], \(entries.map(\.finishedAt))::timestamptz[],
                                \(entries.map(\.document))::text[]) AS j(execution_id, path, finished_at, entry)
                    JOIN held ON held.id = j.execution_id AND held.owner = \(owner)
                    ON CONFLICT (execution_id, path) DO NOTHING
                )
                SELECT id, owner FROM held
                """,
                logger: logger
            )
            var holders: [String: String?] = [:]
            for try await (id, holder) in rows.decode((String, String?).self) { holders[id] = .some(holder) }
            return ids.map { holders[$0] }
        }
        endings = StatementBatcher(maxInFlight: inFlight, maxBatch: batch) { endings in
            let rows = try await client.query(
                """
                WITH ended AS (
                    UPDATE \(unescaped: tables.executions) AS e
                    SET status = f.status, end_time = f.end_time, document = f.document::json
                    FROM unnest(\(endings.map(\.id))::text[], \(endings.map(\.status))::text[],
                                \(endings.map(\.endTime))::timestamptz[], \(endings.map(\.document))::text[],
                                \(endings.map { $0.cancelReason != nil })::bool[], \(endings.map { $0.cancelReason ?? "" })::text[])
                         AS f(id, status, end_time, document, cancelled, cancel_reason)
                    WHERE e.id = f.id AND e.status = 'running' AND e.owner = \(owner)
                      AND (e.document->>'cancel_reason') IS NOT DISTINCT FROM (CASE WHEN f.cancelled THEN f.cancel_reason END)
                    RETURNING e.id
                ),
                dropped AS (DELETE FROM \(unescaped: tables.liveEvents) WHERE execution_id IN (SELECT id FROM ended))
                SELECT id FROM ended
                """,
                logger: logger
            )
            var ended = Set<String>()
            for try await id in rows.decode(String.self) { ended.insert(id) }
            return endings.map { ended.contains($0.id) }
        }
    }

    /// Sends the batches until the task is cancelled.
    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await creations.run() }
            group.addTask { await journalEntries.run() }
            group.addTask { await endings.run() }
        }
    }
}

extension PostgresBatchedWrites.Creation {
    init(_ record: ExecutionRecord) {
        self.init(
            id: record.id.rawValue, flow: record.flowName, status: record.status.rawValue, startTime: record.startTime,
            document: record.storageJSON.jsonText)
    }
}
