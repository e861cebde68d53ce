import FlowCore
import FlowServer
import Foundation
import Logging
import PostgresNIO

/// The writes every run makes — its creation, a journal entry per task step, its end — batched across runs
/// (``StatementBatcher``): one statement (``PostgresBatchStatements``) writes the rows of every run that wrote at
/// the same moment.
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
        client: PostgresClient, owner: String, leaseSeconds: Double, poolSize: Int,
        logger: Logger
    ) {
        // Two statements of a kind at a time: one waiting on a locked row does not hold up every run's writes, and
        // the writes made meanwhile still gather into batches.
        let (inFlight, batch) = (min(2, poolSize), 100)
        creations = StatementBatcher(maxInFlight: inFlight, maxBatch: batch) { creations in
            let statement = PostgresBatchStatements.InsertExecutions(
                creations: creations, owner: owner, leaseSeconds: leaseSeconds)
            for try await _ in try await client.execute(statement, logger: logger) {}
            return creations.map { _ in () }
        }
        journalEntries = StatementBatcher(maxInFlight: inFlight, maxBatch: batch) { entries in
            let statement = PostgresBatchStatements.InsertJournalEntries(entries: entries, owner: owner)
            var holders: [String: String?] = [:]
            for try await (id, holder) in try await client.execute(statement, logger: logger) {
                holders[id] = .some(holder)
            }
            return entries.map { holders[$0.executionId] }
        }
        endings = StatementBatcher(maxInFlight: inFlight, maxBatch: batch) { endings in
            let statement = PostgresBatchStatements.EndExecutions(endings: endings, owner: owner)
            var ended = Set<String>()
            for try await id in try await client.execute(statement, logger: logger) { ended.insert(id) }
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
