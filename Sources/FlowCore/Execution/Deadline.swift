import Synchronization

/// Waits for work at most until a deadline, also when the work ignores cancellation.
///
/// A task group cannot give this guarantee on its own: leaving a group awaits every child, so a child that never
/// checks for cancellation keeps the group, and whoever waits on it, open past the deadline. So the work runs in
/// an unstructured `Task` that ``run(within:clock:late:_:)`` owns, and the caller waits on a one-shot
/// ``Verdict`` instead of on the task. The work finishing, the deadline passing (a sleeping child of a task
/// group, so the timer itself stays structured) or the caller being cancelled settles the verdict, whichever
/// comes first, and only the first counts.
///
/// Lifetime of the work task: when it finishes first its result is returned and the task is done. When the
/// deadline or the caller's cancellation comes first, the task is cancelled and no longer awaited. Cooperative
/// work stops there; work that ignores cancellation runs on until its code returns, and what it returns then is
/// passed to `late` and dropped. Nothing else holds the task, so it never outlives its own code.
enum Deadline {
    /// How the wait ended.
    enum Outcome<Value: Sendable>: Sendable {
        /// The work returned in time.
        case finished(Value)
        /// The deadline passed first; the work was cancelled and its result, if any, goes to `late`.
        case expired
    }

    /// Runs `operation` and waits for it for at most `timeout` on `clock`.
    ///
    /// - Parameter late: receives what the work returns or throws after the wait ended without it.
    /// - Returns: the work's value, or ``Outcome/expired``.
    /// - Throws: what the work threw, when it threw in time; `CancellationError` when the calling task was
    ///   cancelled first.
    static func run<Value: Sendable>(
        within timeout: Duration,
        clock: any Clock<Duration>,
        late: @escaping @Sendable (Result<Value, any Error>) -> Void,
        _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Outcome<Value> {
        let verdict = Verdict<Value>()
        let work = Task {
            let result: Result<Value, any Error>
            do {
                result = .success(try await operation())
            } catch {
                result = .failure(error)
            }
            if !verdict.settle(.finished(result)) { late(result) }
        }
        let settlement = await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await clock.sleep(for: timeout)
                    } catch {
                        return
                    }
                    verdict.settle(.expired)
                }
                let settlement = await verdict.wait()
                group.cancelAll()
                return settlement
            }
        } onCancel: {
            verdict.settle(.cancelled)
            work.cancel()
        }
        switch settlement {
        case .finished(let result):
            return .finished(try result.get())
        case .expired:
            work.cancel()
            return .expired
        case .cancelled:
            work.cancel()
            throw CancellationError()
        }
    }
}

/// The first of "the work finished", "the deadline passed" and "the caller was cancelled"; later ones are refused.
private final class Verdict<Value: Sendable>: Sendable {
    enum Settlement: Sendable {
        case finished(Result<Value, any Error>)
        case expired
        case cancelled
    }

    private struct State {
        var settlement: Settlement?
        var waiter: CheckedContinuation<Settlement, Never>?
    }

    private let state = Mutex(State())

    /// Settles the verdict unless something settled it first; returns whether this call did.
    @discardableResult
    func settle(_ settlement: Settlement) -> Bool {
        let (settled, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Settlement, Never>?) in
            guard state.settlement == nil else { return (false, nil) }
            state.settlement = settlement
            defer { state.waiter = nil }
            return (true, state.waiter)
        }
        waiter?.resume(returning: settlement)
        return settled
    }

    /// Suspends until the verdict is settled; only one caller may wait.
    func wait() async -> Settlement {
        await withCheckedContinuation { (continuation: CheckedContinuation<Settlement, Never>) in
            let settled = state.withLock { state -> Settlement? in
                if let settlement = state.settlement { return settlement }
                state.waiter = continuation
                return nil
            }
            if let settled { continuation.resume(returning: settled) }
        }
    }
}
