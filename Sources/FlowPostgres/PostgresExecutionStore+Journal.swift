public import FlowCore
public import FlowServer
import Foundation
import PostgresNIO

extension PostgresExecutionStore {
    public var keepsJournal: Bool { true }

    /// Journals the step unless another outcome is journaled at its path already, and only while this instance
    /// holds the run: a paused instance whose run was claimed by another writes nothing. Entries of runs journaling
    /// at the same moment are written in one statement.
    ///
    /// - Throws: ``LeaseLostError`` when another instance claimed the run (the entry is not written).
    public func appendJournal(_ entry: StepJournalEntry, execution id: ExecutionID) async throws {
        try await journalWrite(entry, execution: id, mayWait: false).committed()
    }

    /// ``appendJournal(_:execution:)`` queued after the execution's writes queued before; it may wait for the batch
    /// being sent. A run whose creation is still queued often ends before both are sent: its finished record then
    /// replaces its creation, and its journal, which only a run resumed after a crash reads, is not written.
    public func queueJournal(_ entry: StepJournalEntry, execution id: ExecutionID) -> QueuedWrite {
        journalWrite(entry, execution: id, mayWait: true)
    }

    private func journalWrite(_ entry: StepJournalEntry, execution id: ExecutionID, mayWait: Bool) -> QueuedWrite {
        let write: PostgresBatchedWrites.Write =
            if mayWait, let creation = batches.pendingCreation(of: id) {
                .journalEntryOfPendingCreation(entry, executionId: id.rawValue, creation: creation)
            } else {
                .journalEntry(PostgresBatchedWrites.JournalEntry(entry, execution: id.rawValue))
            }
        let waits: (@Sendable () -> Bool)? = mayWait ? { @Sendable in true } : nil
        let ticket = batches.writes.queue(write, key: id.rawValue, mayWait: waits)
        return QueuedWrite { [self] in
            let outcome: PostgresBatchedWrites.Outcome = try await storeOperation("journal a step of execution \(id)") {
                try await ticket.value()
            }
            // No row: the record is gone (pruned), and there is nothing left to fence.
            if case .holder(.some(let current)) = outcome, current != owner {
                throw LeaseLostError(executionId: id, owner: current)
            }
        }
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
