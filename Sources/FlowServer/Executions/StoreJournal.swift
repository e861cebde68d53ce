import FlowCore
import Logging

/// The ``StepJournal`` of one execution in an ``ExecutionStore``: what an earlier run recorded, read once when
/// the run starts, and new entries written through to the store.
struct StoreJournal: StepJournal {
    let store: any ExecutionStore
    let executionId: ExecutionID
    let entries: [StepPath: StepJournalEntry]
    let logger: Logger
    /// Where the journal writes are measured, when the server keeps metrics.
    let metrics: StoreMetrics?
    /// Called when the store says another instance holds the run now.
    let onLeaseLost: @Sendable (LeaseLostError) -> Void

    init(
        store: any ExecutionStore,
        executionId: ExecutionID,
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
        await stored(.step(entry.path)) { try await store.appendJournal(entry, execution: executionId) }
    }

    /// What a write was for, to measure and to report it.
    enum Write: Sendable {
        case creation
        case step(StepPath)
    }

    /// Runs `write`, measured from `start`, and reports how it failed.
    fileprivate func stored(
        _ kind: Write, since start: ContinuousClock.Instant = .now, _ write: @Sendable () async throws -> Void
    ) async {
        do {
            let operation = if case .creation = kind { "create" } else { "journal_append" }
            if let metrics {
                try await metrics.measure(operation, since: start, write)
            } else {
                try await write()
            }
        } catch let lost as LeaseLostError {
            logger.warning(
                "another instance holds this execution now; it stops here",
                metadata: [LogKey.executionId: "\(executionId)", LogKey.owner: "\(lost.owner ?? "none")"]
            )
            onLeaseLost(lost)
        } catch {
            switch kind {
            case .creation:
                logger.error(
                    "could not store a new execution",
                    metadata: [LogKey.executionId: "\(executionId)", LogKey.error: "\(error)"])
            case .step(let path):
                logger.error(
                    "could not journal a step; it runs again if this execution is resumed",
                    metadata: [
                        LogKey.executionId: "\(executionId)", LogKey.stepPath: "\(path)", LogKey.error: "\(error)",
                    ]
                )
            }
        }
    }
}

extension StoreJournal {
    /// A write a ``Pipeline`` queued, and when.
    struct Queued: Sendable {
        let kind: Write
        let write: QueuedWrite
        let start: ContinuousClock.Instant
    }

    /// A journal for runs whose client waits for their end: it queues each entry's write in the store
    /// (``ExecutionStore/queueJournal(_:execution:)``) and returns at once, for ``write(_:)`` to see stored in
    /// order.
    struct Pipeline: StepJournal {
        let journal: StoreJournal
        let sink: AsyncStream<Queued>.Continuation

        func entry(at path: StepPath) -> StepJournalEntry? {
            journal.entry(at: path)
        }

        /// Queues the entry's write; while another instance may have taken the run over (this instance's leases
        /// are not fresh: it may have been paused past them), waits for it, so that a run taken over stops before
        /// its next step. ``write(_:)`` reports the outcome either way (the stores whose runs instances share
        /// queue their writes, so waiting twice writes nothing twice).
        func record(_ entry: StepJournalEntry) async {
            let write = journal.store.queueJournal(entry, execution: journal.executionId)
            sink.yield(Queued(kind: .step(entry.path), write: write, start: .now))
            guard !journal.store.leasesAreFresh else { return }
            do {
                try await write.committed()
            } catch let lost as LeaseLostError {
                journal.onLeaseLost(lost)
            } catch {
                // Any other failure is ``write(_:)``'s to report; the run goes on.
            }
        }

        /// No more entries: ``write(_:)`` ends once those given are stored.
        func close() {
            sink.finish()
        }
    }

    /// The writes a ``Pipeline`` queues, starting with `creation` (the execution's own, when it was queued
    /// too, just before), and the pipeline.
    func pipelined(after creation: QueuedWrite? = nil) -> (AsyncStream<Queued>, Pipeline) {
        let (writes, sink) = AsyncStream.makeStream(of: Queued.self)
        if let creation { sink.yield(Queued(kind: .creation, write: creation, start: .now)) }
        return (writes, Pipeline(journal: self, sink: sink))
    }

    /// Waits for each of `writes` to be stored, in order, until the pipeline is closed; reports those that fail,
    /// and measures each from when it was queued.
    func write(_ writes: AsyncStream<Queued>) async {
        for await queued in writes {
            await stored(queued.kind, since: queued.start) { try await queued.write.committed() }
        }
    }
}
