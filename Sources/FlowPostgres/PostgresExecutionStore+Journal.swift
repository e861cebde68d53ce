public import FlowCore
import FlowServer
import Foundation
import PostgresNIO

extension PostgresExecutionStore {
    public var keepsJournal: Bool { true }

    /// Journals the step unless another outcome is journaled at its path already, and only while this instance
    /// holds the run: a paused instance whose run was claimed by another writes nothing.
    /// Journals `entry` while this instance holds the run.
    ///
    /// - Throws: ``LeaseLostError`` when another instance claimed the run (the entry is not written).
    public func appendJournal(_ entry: StepJournalEntry, execution id: ExecutionID) async throws {
        let holder: String?? = try await storeOperation("journal a step of execution \(id)") {
            let rows = try await client.query(
                """
                WITH held AS (SELECT owner FROM \(unescaped: tables.executions) WHERE id = \(id.rawValue)),
                written AS (
                    INSERT INTO \(unescaped: tables.journal) (execution_id, path, finished_at, entry)
                    SELECT \(id.rawValue), \(entry.path.description), \(entry.finishedAt), \(entry.storageJSON.jsonText)::json
                    WHERE EXISTS (SELECT 1 FROM held WHERE owner = \(owner))
                    ON CONFLICT (execution_id, path) DO NOTHING
                )
                SELECT owner FROM held
                """,
                logger: logger
            )
            var holder: String?? = nil
            for try await owner in rows.decode(String?.self) { holder = .some(owner) }
            return holder
        }
        // No row: the record is gone (pruned), and there is nothing left to fence.
        if case .some(let current) = holder, current != owner { throw LeaseLostError(executionId: id, owner: current) }
    }

    public func journal(id: ExecutionID) async throws -> [StepJournalEntry] {
        try await storeOperation("read the step journal of execution \(id)") {
            let rows = try await client.query(
                """
                SELECT entry::text FROM \(unescaped: tables.journal) WHERE execution_id = \(id.rawValue) ORDER BY finished_at, path
                """,
                logger: logger
            )
            var entries: [StepJournalEntry] = []
            for try await document in rows.decode(String.self) {
                entries.append(try StepJournalEntry(storageText: document))
            }
            return entries
        }
    }
}
