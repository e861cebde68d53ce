import Synchronization

/// Cancels a running execution from outside, with a reason.
///
/// Pass it in ``ExecutionOptions``; ``cancel(reason:)`` may be called from any task, before or during the run.
/// Cancelling the Swift task that runs the execution works too, with the reason "Execution cancelled".
public final class CancellationSignal: Sendable {
    private struct State {
        var reason: String?
        var waiters: [CheckedContinuation<String?, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Requests cancellation; only the first reason is kept.
    public func cancel(reason: String = "Execution cancelled") {
        let waiters = state.withLock { state -> [CheckedContinuation<String?, Never>] in
            guard state.reason == nil else { return [] }
            state.reason = reason
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: reason) }
    }

    /// The reason, once cancelled.
    public var reason: String? { state.withLock { $0.reason } }

    /// Whether cancellation was requested.
    public var isCancelled: Bool { reason != nil }

    /// Waits until cancellation is requested; returns `nil` if the waiting task is cancelled first.
    func wait() async -> String? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
                let immediate: String?? = state.withLock { state in
                    if let reason = state.reason { return .some(reason) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters.append(continuation)
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiters = state.withLock { state in
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: nil) }
        }
    }
}
