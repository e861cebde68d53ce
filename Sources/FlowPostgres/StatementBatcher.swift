import Synchronization

/// Writes made by many runs at once, sent to PostgreSQL as one statement per batch: what keeps the store's cost
/// per execution low when many runs write at the same moment.
///
/// A write made while fewer than `maxInFlight` batches are being sent goes at once; writes made while they are all
/// busy wait, and go together as the next batch (at most `maxBatch`) as soon as one is done. So a lone write waits
/// for nothing, and under load each statement carries many writes, without a timer. Each caller gets its own
/// outcome once its batch's statement has returned; when the statement fails, each write is sent again alone, so
/// a caller gets its own write's error.
///
/// Writes with the same key (an execution's) are sent in the order they were made, never two batches at once. A
/// write that may wait (a sync run's creation and journal, which nobody waits for) waits for the batch being sent
/// when it is made, or one batch if others are queued: a run that ends meanwhile then has its writes and its end
/// sent in one batch. It never waits longer, nor when nothing else is being written.
///
/// ``run()`` sends the batches, in the store's service; writes wait while it is not running, as queries wait for
/// the connection pool, and fail with ``StatementBatcherStopped`` once it has stopped.
final class StatementBatcher<Write: Sendable, Outcome: Sendable>: Sendable {
    /// Sends one batch as one statement and returns each write's outcome, in the order of the writes.
    typealias Send = @Sendable ([Write]) async throws -> [Outcome]

    private let send: Send
    private let maxInFlight: Int
    private let maxBatch: Int
    private let state = Mutex(State())
    private let wakeups = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

    private struct State {
        var queue: [Entry] = []
        var inFlight = 0
        /// The keys of the writes being sent.
        var sending: Set<String> = []
        var stopped = false
    }

    private struct Entry: Sendable {
        let write: Write
        let key: String?
        /// Whether the write may wait for a batch now; asked each time a batch is made up.
        let mayWait: (@Sendable () -> Bool)?
        var waited = false
        let ticket: Ticket
    }

    /// A queued write: ``value()`` waits for its outcome.
    final class Ticket: Sendable {
        private let state = Mutex<
            (outcome: Result<Outcome, any Error>?, waiters: [CheckedContinuation<Outcome, any Error>])
        >(
            (nil, []))

        /// The write's outcome, once its batch was sent.
        func value() async throws -> Outcome {
            try await withCheckedThrowingContinuation { waiter in
                let outcome = state.withLock { state in
                    if state.outcome == nil { state.waiters.append(waiter) }
                    return state.outcome
                }
                if let outcome { waiter.resume(with: outcome) }
            }
        }

        fileprivate func complete(_ outcome: Result<Outcome, any Error>) {
            let waiters = state.withLock { state in
                state.outcome = outcome
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(with: outcome) }
        }
    }

    init(maxInFlight: Int, maxBatch: Int, send: @escaping Send) {
        self.maxInFlight = max(1, maxInFlight)
        self.maxBatch = max(1, maxBatch)
        self.send = send
    }

    /// How many writes wait for a batch now.
    var queued: Int { state.withLock { $0.queue.count } }

    /// Queues `write` for the next batch and returns its outcome once that batch was sent.
    func submit(_ write: Write, key: String? = nil) async throws -> Outcome {
        try await queue(write, key: key).value()
    }

    /// Queues `write` after the writes of `key` queued before, and returns at once.
    ///
    /// - Parameter mayWait: whether the write may wait (see the type's description); asked again each time a batch
    ///   is made up, so a write can stop waiting.
    ///   - ticket: the ticket to hand the outcome to, when the caller made it before.
    func queue(
        _ write: Write, key: String? = nil, mayWait: (@Sendable () -> Bool)? = nil, ticket: Ticket = Ticket()
    ) -> Ticket {
        let stopped = state.withLock { state in
            if !state.stopped { state.queue.append(Entry(write: write, key: key, mayWait: mayWait, ticket: ticket)) }
            return state.stopped
        }
        if stopped { ticket.complete(.failure(StatementBatcherStopped())) } else { wake() }
        return ticket
    }

    /// Has the batcher make up a batch again: a queued write may no longer wait.
    func wake() {
        wakeups.continuation.yield()
    }

    /// Sends batches until the task is cancelled; then fails the writes still queued, and any made later.
    func run() async {
        await withDiscardingTaskGroup { group in
            for await _ in wakeups.stream {
                if let batch = nextBatch() {
                    group.addTask { await self.sendBatch(batch) }
                }
            }
        }
        let abandoned = state.withLock { state in
            state.stopped = true
            defer { state.queue = [] }
            return state.queue
        }
        for entry in abandoned { entry.ticket.complete(.failure(StatementBatcherStopped())) }
    }

    /// The writes to send next, when a batch may be sent now. One batch per wake-up: a write that waits for the
    /// batch being sent goes once that one is done, not in another made up at the same moment.
    private func nextBatch() -> [Entry]? {
        state.withLock { state in
            guard state.inFlight < maxInFlight, !state.queue.isEmpty else { return nil }
            let waits = state.queue.map { $0.mayWait?() ?? false }
            let urgentKeys = Set(zip(state.queue, waits).filter { !$0.1 }.compactMap(\.0.key))
            let busy = state.inFlight > 0 || waits.contains(false)
            var blocked = state.sending
            var batch: [Entry] = []
            var kept: [Entry] = []
            for (var entry, mayWait) in zip(state.queue, waits) {
                let holds =
                    batch.count == maxBatch || entry.key.map(blocked.contains) == true
                    || (busy && mayWait && !entry.waited && entry.key.map(urgentKeys.contains) != true)
                guard holds else {
                    batch.append(entry)
                    continue
                }
                if mayWait { entry.waited = true }
                if let key = entry.key { blocked.insert(key) }
                kept.append(entry)
            }
            state.queue = kept
            guard !batch.isEmpty else { return nil }
            state.inFlight += 1
            state.sending.formUnion(batch.compactMap(\.key))
            return batch
        }
    }

    private func sendBatch(_ batch: [Entry]) async {
        do {
            let outcomes = try await send(batch.map(\.write))
            precondition(outcomes.count == batch.count, "a batch's statement returned an outcome per write")
            for (entry, outcome) in zip(batch, outcomes) { entry.ticket.complete(.success(outcome)) }
        } catch {
            // One write the database refuses must not fail the others: each is sent again alone, in order, so
            // each caller gets its own write's outcome.
            for entry in batch {
                guard batch.count > 1 else {
                    entry.ticket.complete(.failure(error))
                    continue
                }
                do {
                    let outcomes = try await send([entry.write])
                    entry.ticket.complete(.success(outcomes[0]))
                } catch {
                    entry.ticket.complete(.failure(error))
                }
            }
        }
        state.withLock { state in
            state.inFlight -= 1
            state.sending.subtract(batch.compactMap(\.key))
        }
        wake()
    }
}

/// A write made after its ``StatementBatcher`` stopped (the store's service ended), or left queued when it did.
struct StatementBatcherStopped: Error {}
