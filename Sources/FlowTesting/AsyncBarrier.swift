import Synchronization

/// A one-shot meeting point: each caller of ``arrive()`` waits until `parties` callers have arrived.
///
/// Makes concurrency observable without sleeping: two mocked parallel tasks that both arrive can only
/// finish once both have started, so their recorded calls must overlap.
/// ```swift
/// let barrier = AsyncBarrier(parties: 2)
/// mocks.mock("FetchUser") { _, _ in try await barrier.arrive(); return ["id": 1] }
/// mocks.mock("FetchOrders") { _, _ in try await barrier.arrive(); return [] }
/// let run = try await harness.run()
/// expectOverlap(mocks, "FetchUser", "FetchOrders")
/// ```
/// Once open, the barrier stays open: later arrivals pass at once. A waiter whose task is cancelled stops
/// waiting with `CancellationError` and no longer counts as arrived.
public final class AsyncBarrier: Sendable {
    private struct State {
        var arrived = 0
        var isOpen = false
        var nextId = 0
        var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    }

    /// How many arrivals open the barrier.
    public let parties: Int
    private let state = Mutex(State())

    /// A barrier that opens when `parties` callers have arrived (at least 1).
    public init(parties: Int) {
        self.parties = max(1, parties)
    }

    /// How many callers have arrived so far.
    public var arrivedCount: Int { state.withLock { $0.arrived } }

    /// Whether enough callers have arrived.
    public var isOpen: Bool { state.withLock { $0.isOpen } }

    /// Arrives and waits until `parties` callers have arrived.
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled while waiting.
    public func arrive() async throws {
        let id = state.withLock { state -> Int in
            state.nextId += 1
            return state.nextId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Decision { case pass, cancelled, wait }
                let (decision, released) = state.withLock {
                    state -> (Decision, [CheckedContinuation<Void, any Error>]) in
                    if state.isOpen { return (.pass, []) }
                    if Task.isCancelled { return (.cancelled, []) }
                    state.arrived += 1
                    guard state.arrived >= parties else {
                        state.waiters[id] = continuation
                        return (.wait, [])
                    }
                    state.isOpen = true
                    defer { state.waiters.removeAll() }
                    return (.pass, Array(state.waiters.values))
                }
                for waiter in released { waiter.resume() }
                switch decision {
                case .pass: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .wait: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let waiter = state.waiters.removeValue(forKey: id) else { return nil }
                state.arrived -= 1
                return waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
