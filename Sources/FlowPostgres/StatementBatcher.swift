import Synchronization

/// Writes of one kind made by many runs at once, sent to PostgreSQL as one statement per batch: what keeps the
/// store's cost per execution low when many runs write at the same moment.
///
/// A write made while fewer than `maxInFlight` batches are being sent goes at once, alone; writes made while they
/// are all busy wait, and go together as the next batch (at most `maxBatch`) as soon as one is done. So a lone
/// write waits for nothing, and under load each statement carries many writes, without a timer. Each caller
/// resumes when its batch's statement has returned, with its own outcome; when the statement fails, each write
/// is sent again alone, so a caller gets its own write's error.
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
        var queue: [(write: Write, caller: CheckedContinuation<Outcome, any Error>)] = []
        var inFlight = 0
        var stopped = false
    }

    init(maxInFlight: Int, maxBatch: Int, send: @escaping Send) {
        self.maxInFlight = max(1, maxInFlight)
        self.maxBatch = max(1, maxBatch)
        self.send = send
    }

    /// How many writes wait for a batch now.
    var queued: Int { state.withLock { $0.queue.count } }

    /// Queues `write` for the next batch and returns its outcome once that batch was sent.
    func submit(_ write: Write) async throws -> Outcome {
        try await withCheckedThrowingContinuation { caller in
            let stopped = state.withLock { state in
                if !state.stopped { state.queue.append((write, caller)) }
                return state.stopped
            }
            if stopped { caller.resume(throwing: StatementBatcherStopped()) } else { wakeups.continuation.yield() }
        }
    }

    /// Sends batches until the task is cancelled; then fails the writes still queued, and any made later.
    func run() async {
        await withDiscardingTaskGroup { group in
            for await _ in wakeups.stream {
                while let batch = nextBatch() {
                    group.addTask { await self.sendBatch(batch) }
                }
            }
        }
        let abandoned = state.withLock { state in
            state.stopped = true
            defer { state.queue = [] }
            return state.queue
        }
        for (_, caller) in abandoned { caller.resume(throwing: StatementBatcherStopped()) }
    }

    /// The writes to send next, when a batch may be sent now.
    private func nextBatch() -> [(write: Write, caller: CheckedContinuation<Outcome, any Error>)]? {
        state.withLock { state in
            guard state.inFlight < maxInFlight, !state.queue.isEmpty else { return nil }
            state.inFlight += 1
            let batch = Array(state.queue.prefix(maxBatch))
            state.queue.removeFirst(batch.count)
            return batch
        }
    }

    private func sendBatch(_ batch: [(write: Write, caller: CheckedContinuation<Outcome, any Error>)]) async {
        do {
            let outcomes = try await send(batch.map(\.write))
            precondition(outcomes.count == batch.count, "a batch's statement returned an outcome per write")
            for (entry, outcome) in zip(batch, outcomes) { entry.caller.resume(returning: outcome) }
        } catch {
            // One write the database refuses must not fail the others: each is sent again alone, so each caller
            // gets its own write's outcome.
            for entry in batch {
                guard batch.count > 1 else {
                    entry.caller.resume(throwing: error)
                    continue
                }
                do {
                    let outcomes = try await send([entry.write])
                    entry.caller.resume(returning: outcomes[0])
                } catch {
                    entry.caller.resume(throwing: error)
                }
            }
        }
        state.withLock { $0.inFlight -= 1 }
        wakeups.continuation.yield()
    }
}

/// A write made after its ``StatementBatcher`` stopped (the store's service ended), or left queued when it did.
struct StatementBatcherStopped: Error {}
