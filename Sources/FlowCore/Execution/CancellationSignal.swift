import Synchronization

/// Cancels a running execution from outside, with a reason.
///
/// Pass it in ``ExecutionOptions``; ``cancel(reason:)`` may be called from any task, before or during the run.
/// Cancelling the Swift task that runs the execution works too, with the reason "Execution cancelled".
public final class CancellationSignal: Sendable {
    private struct State {
        var reason: String?
        var handedOver = false
        var waiters: [CheckedContinuation<String?, Never>] = []
        var handlers: [Int: @Sendable () -> Void] = [:]
        var nextHandler = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Requests cancellation; only the first reason is kept.
    public func cancel(reason: String = "Execution cancelled") {
        stop(reason: reason, handingOver: false)
    }

    /// Stops the run here because it continues elsewhere (another instance holds it now): like ``cancel(reason:)``,
    /// but the flow's `on_cancel` cleanup does not run, since it would undo work the run goes on with.
    public func handOver(reason: String) {
        stop(reason: reason, handingOver: true)
    }

    private func stop(reason: String, handingOver: Bool) {
        let (waiters, handlers) = state.withLock {
            state -> ([CheckedContinuation<String?, Never>], [@Sendable () -> Void]) in
            guard state.reason == nil else { return ([], []) }
            state.reason = reason
            state.handedOver = handingOver
            defer {
                state.waiters.removeAll()
                state.handlers.removeAll()
            }
            return (state.waiters, Array(state.handlers.values))
        }
        for waiter in waiters { waiter.resume(returning: reason) }
        for handler in handlers { handler() }
    }

    /// Calls `handler` once when cancellation is requested (at once if it already was) until `body` returns.
    ///
    /// Cheaper than waiting in a task of its own: nothing is scheduled unless cancellation happens.
    func whileRegistered<Result>(
        onCancel handler: @escaping @Sendable () -> Void,
        _ body: () async -> Result
    ) async -> Result {
        let token: Int? = state.withLock { state in
            guard state.reason == nil else { return nil }
            defer { state.nextHandler += 1 }
            state.handlers[state.nextHandler] = handler
            return state.nextHandler
        }
        guard let token else {
            handler()
            return await body()
        }
        let result = await body()
        _ = state.withLock { $0.handlers.removeValue(forKey: token) }
        return result
    }

    /// The reason, once cancelled.
    public var reason: String? { state.withLock { $0.reason } }

    /// Whether cancellation was requested.
    public var isCancelled: Bool { reason != nil }

    /// Whether the run was stopped by ``handOver(reason:)`` rather than cancelled.
    public var isHandedOver: Bool { state.withLock { $0.handedOver } }

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
