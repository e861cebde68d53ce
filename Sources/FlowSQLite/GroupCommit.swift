import FlowCore
import GRDB
import Synchronization

/// Write transactions of many tasks committed as one: what keeps an SQLite store fast while each write is
/// durable before its caller goes on.
///
/// Every commit of a file in WAL mode waits for the disk (`synchronous = FULL`), so one transaction per record
/// change makes the disk the limit. Here changes queue, and while any are queued the database's writer writes
/// batches back to back: everything queued until then, then one commit, after which every
/// caller in the batch resumes; changes queued meanwhile go in the next batch. Under load batches grow, and
/// commits per change fall. The writer goes from one batch to the next without waiting for any task, and after a
/// few batches lets other writes to the database take their turn.
///
/// The writes a run queues while it goes on (`mayWait`: a sync run's creation and journal) may wait one
/// batch when other changes are queued: a run that ends meanwhile then has its creation, journal and end written
/// in one batch (and its creation replaced by its finished record, see ``UnwrittenCreation``), not spread over
/// two. They never wait longer than that batch, nor when nothing else is queued.
///
/// Each change changes the database with at most one statement, so a change that fails is undone alone (SQLite
/// undoes a failed statement, not its transaction) and only its caller gets the error, without a savepoint per
/// change. An error that ends the whole transaction (a full disk, an I/O error) fails the whole batch.
final class GroupCommit: Sendable {
    private let database: DatabasePool
    private let state = Mutex(State())
    /// Batches the writer writes in one turn before letting other writes to the database go first.
    private static let batchesPerTurn = 8

    private struct State {
        var queue: [Pending] = []
        /// Whether the writer is writing batches or about to.
        var writing = false
    }

    /// A queued change, its result type erased.
    private struct Pending: Sendable {
        /// The execution whose record or journal it changes: its changes are written in the order queued.
        let execution: ExecutionID?
        /// Whether it may wait one batch for a later change of its execution.
        let mayWait: Bool
        /// Whether it waited a batch already.
        var waited = false
        /// Applies the change, keeps its outcome and returns its error.
        let apply: @Sendable (Database) -> (any Error)?
        /// Hands the outcome to the caller once the batch committed, or the batch's error.
        let complete: @Sendable ((any Error)?) -> Void
    }

    /// A queued change: ``value()`` waits until it is committed.
    struct Ticket<Value: Sendable>: Sendable {
        fileprivate let slot: Slot<Value>

        /// The change's result once its batch is committed.
        func value() async throws -> Value {
            try await slot.outcome().get()
        }
    }

    init(database: DatabasePool) {
        self.database = database
    }

    /// Applies `change`, which changes the database with at most one statement, in the next batch and returns its
    /// result once the batch is committed.
    ///
    /// - Parameter execution: the execution it changes, whose changes queued before are written with it.
    func write<Value: Sendable>(
        of execution: ExecutionID? = nil,
        _ change: @escaping @Sendable (Database) throws -> Value
    ) async throws -> Value {
        try await submit(of: execution, change).value()
    }

    /// Queues `change`, which changes the database with at most one statement, after the changes of its
    /// execution queued before and before those queued after, and returns at once; ``Ticket/value()`` tells when
    /// it is committed.
    ///
    /// - Parameter mayWait: a write of a run in progress, which may wait one batch: it is written with the
    ///   execution's next change that may not wait, or in the batch after the one it first missed.
    func submit<Value: Sendable>(
        of execution: ExecutionID? = nil,
        mayWait: Bool = false,
        _ change: @escaping @Sendable (Database) throws -> Value
    ) -> Ticket<Value> {
        let slot = Slot<Value>()
        let pending = Pending(
            execution: execution,
            mayWait: mayWait,
            apply: { db in
                do {
                    slot.keep(.success(try change(db)))
                } catch {
                    slot.keep(.failure(error))
                    return error
                }
                return nil
            },
            complete: { error in slot.complete(error) }
        )
        let start = state.withLock { state in
            state.queue.append(pending)
            guard !state.writing else { return false }
            state.writing = true
            return true
        }
        if start { turn() }
        return Ticket(slot: slot)
    }

    /// Has the database's writer write batches.
    private func turn() {
        database.asyncWriteWithoutTransaction { [self] db in
            for _ in 0..<Self.batchesPerTurn {
                guard let batch = nextBatch() else { return }
                write(batch, db)
            }
            if hasQueuedChanges() { turn() }
        }
    }

    /// What is queued; nil when nothing is, and the writer stops writing.
    ///
    /// When a change that may not wait is queued, the changes that may wait one batch and have not waited yet stay
    /// queued, unless a change of their execution queued after them is written now.
    private func nextBatch() -> [Pending]? {
        state.withLock { state in
            guard !state.queue.isEmpty else {
                state.writing = false
                return nil
            }
            guard state.queue.contains(where: { !$0.mayWait }) else {
                defer { state.queue = [] }
                return state.queue
            }
            let written = Set(state.queue.lazy.filter { !$0.mayWait }.compactMap(\.execution))
            var batch: [Pending] = []
            var waiting: [Pending] = []
            for var pending in state.queue {
                if pending.mayWait, !pending.waited, let execution = pending.execution, !written.contains(execution) {
                    pending.waited = true
                    waiting.append(pending)
                } else {
                    batch.append(pending)
                }
            }
            state.queue = waiting
            return batch
        }
    }

    /// Whether the writer is to go on after its turn; if not, it stops writing.
    private func hasQueuedChanges() -> Bool {
        state.withLock { state in
            state.writing = !state.queue.isEmpty
            return state.writing
        }
    }

    /// Writes `batch` in one transaction and hands each caller its outcome.
    private func write(_ batch: [Pending], _ db: Database) {
        do {
            try db.inTransaction {
                for pending in batch {
                    if let error = pending.apply(db), !db.isInsideTransaction { throw error }
                }
                return .commit
            }
            for pending in batch { pending.complete(nil) }
        } catch {
            for pending in batch { pending.complete(error) }
        }
    }
}

/// One caller's place in a batch: its change's outcome, handed over once the batch commits.
private final class Slot<Value: Sendable>: Sendable {
    private struct State {
        /// The change's outcome, before its batch committed.
        var kept: Result<Value, any Error>?
        /// The outcome to hand over, once the batch committed or failed.
        var done: Result<Value, any Error>?
        var waiter: CheckedContinuation<Result<Value, any Error>, Never>?
    }

    private let state = Mutex(State())

    /// Keeps the change's outcome, told to the caller when the batch commits.
    func keep(_ outcome: Result<Value, any Error>) {
        state.withLock { $0.kept = outcome }
    }

    /// The batch committed (`error` nil) or failed.
    func complete(_ error: (any Error)?) {
        let (waiter, outcome) = state.withLock { state in
            let outcome = error.map { .failure($0) } ?? state.kept ?? .failure(CancellationError())
            guard let waiter = state.waiter else {
                state.done = outcome
                return (nil as CheckedContinuation<Result<Value, any Error>, Never>?, outcome)
            }
            state.waiter = nil
            return (waiter, outcome)
        }
        waiter?.resume(returning: outcome)
    }

    /// The outcome, once the batch committed or failed.
    func outcome() async -> Result<Value, any Error> {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                guard let done = state.done else {
                    state.waiter = continuation
                    return nil as Result<Value, any Error>?
                }
                return done
            }
            if let done { continuation.resume(returning: done) }
        }
    }
}
