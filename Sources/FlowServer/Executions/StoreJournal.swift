import FlowCore
import Logging

/// The ``StepJournal`` of one execution in an ``ExecutionStore``: what an earlier run recorded, read once when
/// the run starts, and new entries written through to the store.
struct StoreJournal: StepJournal {
    let store: any ExecutionStore
    let executionId: String
    let entries: [StepPath: StepJournalEntry]
    let logger: Logger
    /// Where the journal writes are measured, when the server keeps metrics.
    let metrics: StoreMetrics?
    /// Called when the store says another instance holds the run now.
    let onLeaseLost: @Sendable (LeaseLostError) -> Void

    init(
        store: any ExecutionStore,
        executionId: String,
        entries: [StepJournalEntry] = [],
        logger: Logger,
        metrics: StoreMetrics? = nil,
        onLeaseLost: @escaping @Sendable (LeaseLostError) -> Void = { _ in }
    ) {
        self.store = store
        self.executionId = executionId
        self.entries = Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { _, last in last })
        self.logger = logger
        self.metrics = metrics
        self.onLeaseLost = onLeaseLost
    }

    func entry(at path: StepPath) -> StepJournalEntry? {
        entries[path]
    }

    /// Writes `entry`; a store that fails is logged, and the step would run again after a crash. When another
    /// instance holds the run now, ``onLeaseLost`` hears of it.
    func record(_ entry: StepJournalEntry) async {
        do {
            if let metrics {
                try await metrics.measure("journal_append") {
                    try await store.appendJournal(entry, execution: executionId)
                }
            } else {
                try await store.appendJournal(entry, execution: executionId)
            }
        } catch let lost as LeaseLostError {
            logger.warning(
                "another instance holds this execution now; it stops here",
                metadata: ["execution_id": "\(executionId)", "owner": "\(lost.owner ?? "none")"]
            )
            onLeaseLost(lost)
        } catch {
            logger.error(
                "could not journal a step; it runs again if this execution is resumed",
                metadata: ["execution_id": "\(executionId)", "step_path": "\(entry.path)", "error": "\(error)"]
            )
        }
    }
}

extension StoreJournal {
    /// A journal for runs whose client waits for their end: it hands each entry to `entries` and returns at once,
    /// for ``write(_:)`` to store in order while the run goes on.
    struct Pipeline: StepJournal {
        let journal: StoreJournal
        let sink: AsyncStream<StepJournalEntry>.Continuation

        func entry(at path: StepPath) -> StepJournalEntry? {
            journal.entry(at: path)
        }

        func record(_ entry: StepJournalEntry) async {
            sink.yield(entry)
        }

        /// No more entries: ``write(_:)`` ends once it stored those given.
        func close() {
            sink.finish()
        }
    }

    /// The entries a ``Pipeline`` takes, and the pipeline.
    func pipelined() -> (AsyncStream<StepJournalEntry>, Pipeline) {
        let (entries, sink) = AsyncStream.makeStream(of: StepJournalEntry.self)
        return (entries, Pipeline(journal: self, sink: sink))
    }

    /// Stores `entries` one after the other, in the order given, until the pipeline is closed.
    func write(_ entries: AsyncStream<StepJournalEntry>) async {
        for await entry in entries { await record(entry) }
    }
}
