import GRDB
import Synchronization

/// Write transactions of many tasks committed as one: what keeps an SQLite store fast while each write is
/// durable before its caller goes on.
///
/// Every commit of a file in WAL mode waits for the disk (`synchronous = FULL`), so one transaction per record
/// change makes the disk the limit. Here a writer arriving while no batch is being written writes the batch:
/// everything queued until then, each change in a savepoint of its own (a change that throws is rolled back
/// alone and its caller gets the error), then `afterBatch`, then one commit; every caller in the batch resumes
/// after that commit. Writers arriving meanwhile queue for the next batch, which the first of them writes, so no
/// caller writes more than one batch besides its own. Under load batches grow, and commits per change fall.
final class GroupCommit: Sendable {
    private let database: DatabasePool
    private let afterBatch: @Sendable (Database, _ finishedExecutions: Bool) throws -> Void
    private let state = Mutex(State())

    private struct State {
        var queue: [Pending] = []
        var writing = false
    }

    /// A queued change, its result type erased.
    private struct Pending: Sendable {
        let slot: ObjectIdentifier
        let finishesExecution: Bool
        /// Whether its caller waits for it, so it can be asked to write the next batch.
        var awaited: Bool
        /// Applies the change in its savepoint and keeps its outcome.
        let apply: @Sendable (Database) -> Void
        /// Hands the outcome to the caller once the batch committed, or the batch's error.
        let complete: @Sendable ((any Error)?) -> Void
        /// Asks the caller to write the next batch.
        let lead: @Sendable () -> Void
    }

    /// A change queued by ``submit(finishesExecution:_:)``: ``value()`` waits until it is committed.
    struct Ticket<Value: Sendable>: Sendable {
        fileprivate let slot: Slot<Value>
        fileprivate let group: GroupCommit

        /// The change's result once its batch is committed; writes a batch itself when no one else is writing.
        func value() async throws -> Value {
            if group.await(slot) { await group.writeBatch() }
            while true {
                switch await slot.next() {
                case .done(let result): return try result.get()
                case .lead: await group.writeBatch()
                }
            }
        }
    }

    /// - Parameter afterBatch: runs last in each batch's transaction, told whether a change in it finished an
    ///   execution (the store evicts old records then).
    init(database: DatabasePool, afterBatch: @escaping @Sendable (Database, _ finishedExecutions: Bool) throws -> Void)
    {
        self.database = database
        self.afterBatch = afterBatch
    }

    /// Applies `change` in the next batch and returns its result once the batch is committed.
    func write<Value: Sendable>(
        finishesExecution: Bool = false,
        _ change: @escaping @Sendable (Database) throws -> Value
    ) async throws -> Value {
        try await submit(finishesExecution: finishesExecution, awaited: true, change).value()
    }

    /// Queues `change` for the next batch, after every change queued before and before every change queued
    /// after, and returns at once. The batch that holds it is written when a caller waits for a change in it
    /// (this one's ``Ticket/value()`` or a later ``write(finishesExecution:_:)``), which is what makes it durable.
    func submit<Value: Sendable>(
        finishesExecution: Bool = false,
        _ change: @escaping @Sendable (Database) throws -> Value
    ) -> Ticket<Value> {
        submit(finishesExecution: finishesExecution, awaited: false, change)
    }

    private func submit<Value: Sendable>(
        finishesExecution: Bool,
        awaited: Bool,
        _ change: @escaping @Sendable (Database) throws -> Value
    ) -> Ticket<Value> {
        let slot = Slot<Value>()
        let pending = Pending(
            slot: ObjectIdentifier(slot),
            finishesExecution: finishesExecution,
            awaited: awaited,
            apply: { db in
                do {
                    try db.inSavepoint {
                        slot.keep(.success(try change(db)))
                        return .commit
                    }
                } catch {
                    slot.keep(.failure(error))
                }
            },
            complete: { error in slot.complete(error) },
            lead: { slot.lead() }
        )
        state.withLock { $0.queue.append(pending) }
        return Ticket(slot: slot, group: self)
    }

    /// Marks the change of `slot` as waited for; true when its caller is to write the next batch now (no batch
    /// is being written).
    private func await<Value>(_ slot: Slot<Value>) -> Bool {
        state.withLock { state in
            if let index = state.queue.firstIndex(where: { $0.slot == ObjectIdentifier(slot) }) {
                state.queue[index].awaited = true
            }
            guard !state.writing, !state.queue.isEmpty else { return false }
            state.writing = true
            return true
        }
    }

    /// Writes everything queued in one transaction, then passes the writing on to the first writer queued
    /// meanwhile, if any.
    fileprivate func writeBatch() async {
        let batch = state.withLock { state in
            defer { state.queue = [] }
            return state.queue
        }
        let finishes = batch.contains(where: \.finishesExecution)
        do {
            try await database.write { [afterBatch] db in
                for pending in batch { pending.apply(db) }
                try afterBatch(db, finishes)
            }
            for pending in batch { pending.complete(nil) }
        } catch {
            for pending in batch { pending.complete(error) }
        }
        // The next batch is written by the first caller waiting in it; changes no one waits for yet stay queued
        // until someone does.
        let next = state.withLock { state in
            guard let first = state.queue.first(where: \.awaited) else {
                state.writing = false
                return nil as Pending?
            }
            return first
        }
        next?.lead()
    }
}

/// One caller's place in a batch: its outcome, and the signals it waits for (to write a batch, then done).
private final class Slot<Value: Sendable>: Sendable {
    enum Signal {
        case lead
        case done(Result<Value, any Error>)
    }

    private struct State {
        var outcome: Result<Value, any Error>?
        var signals: [Signal] = []
        var waiter: CheckedContinuation<Signal, Never>?
    }

    private let state = Mutex(State())

    /// Keeps the change's outcome, told to the caller when the batch commits.
    func keep(_ outcome: Result<Value, any Error>) {
        state.withLock { $0.outcome = outcome }
    }

    /// The batch committed (`error` nil) or failed.
    func complete(_ error: (any Error)?) {
        let outcome = state.withLock { state in
            error.map { .failure($0) } ?? state.outcome ?? .failure(CancellationError())
        }
        send(.done(outcome))
    }

    func lead() {
        send(.lead)
    }

    private func send(_ signal: Signal) {
        let waiter = state.withLock { state in
            guard let waiter = state.waiter else {
                state.signals.append(signal)
                return nil as CheckedContinuation<Signal, Never>?
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: signal)
    }

    /// The next signal, in the order they were sent.
    func next() async -> Signal {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                guard !state.signals.isEmpty else {
                    state.waiter = continuation
                    return nil as Signal?
                }
                return state.signals.removeFirst()
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
