import FlowCore
import GRDB
import Synchronization

/// Write transactions of many tasks committed as one: what keeps an SQLite store fast while each write is
/// durable before its caller goes on.
///
/// Every commit of a file in WAL mode waits for the disk (`synchronous = FULL`), so one transaction per record
/// change makes the disk the limit. Here changes queue, and while one of them is waited for, the database's writer
/// writes batches back to back: everything queued until then, then `afterBatch`, then one commit, after which
/// every caller in the batch resumes; changes queued meanwhile go in the next batch. Under load batches grow, and
/// commits per change fall. The writer goes from one batch to the next without waiting for any task, and after a
/// few batches lets other writes to the database take their turn.
///
/// The writes a run queues while it goes on (``submit(for:_:)``: a sync run's creation and journal) may wait one
/// batch when other changes are waited for: a run that ends meanwhile then has its creation, journal and end
/// written in one batch (and its creation replaced by its finished record, see ``UnwrittenCreation``), not
/// spread over two. They never wait longer than that batch, nor when nothing else is waited for.
///
/// Each change changes the database with at most one statement, so a change that fails is undone alone (SQLite
/// undoes a failed statement, not its transaction) and only its caller gets the error, without a savepoint per
/// change. An error that ends the whole transaction (a full disk, an I/O error) fails the whole batch.
final class GroupCommit: Sendable {
    private let database: DatabasePool
    private let afterBatch: @Sendable (Database, _ finishedExecutions: Bool) throws -> Void
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
        let slot: ObjectIdentifier
        let finishesExecution: Bool
        /// The execution whose record or journal it changes: its changes are written in the order queued.
        let execution: ExecutionID?
        /// Whether it may wait one batch for a later change of its execution (``submit(for:_:)``).
        let mayWait: Bool
        /// Whether it waited a batch already.
        var waited = false
        /// Whether its caller waits for it: the writer writes batches while a queued change is waited for.
        var awaited: Bool
        /// Applies the change, keeps its outcome and returns its error.
        let apply: @Sendable (Database) -> (any Error)?
        /// Hands the outcome to the caller once the batch committed, or the batch's error.
        let complete: @Sendable ((any Error)?) -> Void
    }

    /// A change queued by ``submit(for:_:)``: ``value()`` waits until it is committed.
    struct Ticket<Value: Sendable>: Sendable {
        fileprivate let slot: Slot<Value>
        fileprivate let group: GroupCommit

        /// The change's result once its batch is committed.
        func value() async throws -> Value {
            group.waitFor(ObjectIdentifier(slot))
            return try await slot.outcome().get()
        }
    }

    /// - Parameter afterBatch: runs last in each batch's transaction, told whether a change in it finished an
    ///   execution (the store evicts old records then).
    init(database: DatabasePool, afterBatch: @escaping @Sendable (Database, _ finishedExecutions: Bool) throws -> Void)
    {
        self.database = database
        self.afterBatch = afterBatch
    }

    /// Applies `change`, which changes the database with at most one statement, in the next batch and returns its
    /// result once the batch is committed.
    ///
    /// - Parameter execution: the execution it changes, whose changes queued before are written with it.
    func write<Value: Sendable>(
        finishesExecution: Bool = false,
        execution: ExecutionID? = nil,
        _ change: @escaping @Sendable (Database) throws -> Value
    ) async throws -> Value {
        try await queue(finishesExecution: finishesExecution, execution: execution, mayWait: false, change).value()
    }

    /// Queues `change` of a run in progress, after its execution's changes queued before and before those queued
    /// after, and returns at once. It is written with the execution's next change waited for, or in a batch
    /// after it waited one, once a caller waits for it (this one's ``Ticket/value()``), which is what makes it
    /// durable.
    func submit<Value: Sendable>(
        for execution: ExecutionID,
        _ change: @escaping @Sendable (Database) throws -> Value
    ) -> Ticket<Value> {
        queue(finishesExecution: false, execution: execution, mayWait: true, change)
    }

    private func queue<Value: Sendable>(
        finishesExecution: Bool,
        execution: ExecutionID?,
        mayWait: Bool,
        _ change: @escaping @Sendable (Database) throws -> Value
    ) -> Ticket<Value> {
        let slot = Slot<Value>()
        let pending = Pending(
            slot: ObjectIdentifier(slot),
            finishesExecution: finishesExecution,
            execution: execution,
            mayWait: mayWait,
            awaited: false,
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
        state.withLock { $0.queue.append(pending) }
        return Ticket(slot: slot, group: self)
    }

    /// Marks the queued change of `slot` as waited for, and sets the writer writing unless it is already.
    private func waitFor(_ slot: ObjectIdentifier) {
        let start = state.withLock { state in
            if let index = state.queue.firstIndex(where: { $0.slot == slot }) {
                state.queue[index].awaited = true
            }
            guard !state.writing, state.queue.contains(where: \.awaited) else { return false }
            state.writing = true
            return true
        }
        if start { turn() }
    }

    /// Has the database's writer write batches.
    private func turn() {
        database.asyncWriteWithoutTransaction { [self] db in
            for _ in 0..<Self.batchesPerTurn {
                guard let batch = nextBatch() else { return }
                write(batch, db)
            }
            if hasAwaitedChanges() { turn() }
        }
    }

    /// What is queued, when a change in it is waited for; otherwise nil, and the writer stops writing.
    ///
    /// When a change that may not wait is queued, the changes that may wait one batch (``submit(for:_:)``) and
    /// have not waited yet stay queued, unless a change of their execution queued after them is written now.
    private func nextBatch() -> [Pending]? {
        state.withLock { state in
            guard state.queue.contains(where: \.awaited) else {
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
    private func hasAwaitedChanges() -> Bool {
        state.withLock { state in
            state.writing = state.queue.contains(where: \.awaited)
            return state.writing
        }
    }

    /// Writes `batch` in one transaction and hands each caller its outcome.
    private func write(_ batch: [Pending], _ db: Database) {
        let finishes = batch.contains(where: \.finishesExecution)
        do {
            try db.inTransaction {
                for pending in batch {
                    if let error = pending.apply(db), !db.isInsideTransaction { throw error }
                }
                try afterBatch(db, finishes)
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
