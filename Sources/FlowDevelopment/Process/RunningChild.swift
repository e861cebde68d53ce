import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child started by ``ChildProcess/start(_:output:)``, in a process group of its own; any number of callers can
/// await its end.
package final class RunningChild: Sendable {
    /// The child's process id, which is also its process group's.
    package let processIdentifier: Int32
    private let exit: Completion<ProcessExit>
    /// The task running the child under Subprocess, which ends once the child has ended and its output was read.
    /// Kept so the child's lifetime is this object's: nothing is left running unowned.
    private let task: Task<Void, Never>

    init(processIdentifier: Int32, exit: Completion<ProcessExit>, task: Task<Void, Never>) {
        self.processIdentifier = processIdentifier
        self.exit = exit
        self.task = task
    }

    /// Sends `signal` to the child's process group (the child and the programs it started) unless the child has
    /// ended already.
    package func send(_ signal: Int32) {
        guard exit.value == nil else { return }
        if kill(-processIdentifier, signal) != 0 { kill(processIdentifier, signal) }
    }

    /// Sends `signal` to what is left of the child's process group after the child ended: programs it started
    /// that outlived it. The group's id stays reserved while any of them runs.
    func sendToLeftovers(_ signal: Int32) {
        kill(-processIdentifier, signal)
    }

    /// How the child ended, once it has; `nil` while it runs.
    package var exitIfEnded: ProcessExit? { exit.value }

    /// Waits until the child has ended and every line of its output was handed over. Not cancellable: stopping
    /// races it against a clock instead.
    package func waitForExit() async -> ProcessExit {
        await exit.wait()
    }

    /// Waits until the child has ended; `nil` once the calling task is cancelled.
    package func waitForExitUnlessCancelled() async -> ProcessExit? {
        await exit.waitUnlessCancelled()
    }
}

/// A value produced once and awaited by any number of callers.
final class Completion<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var nextId = 0
        var waiters: [Int: CheckedContinuation<Value?, Never>] = [:]
    }

    private let state = Mutex(State())

    var value: Value? { state.withLock { $0.value } }

    /// Sets the value and resumes every waiter; a second value is ignored.
    func finish(_ value: Value) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value?, Never>] in
            guard state.value == nil else { return [] }
            state.value = value
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    /// Waits for the value, ignoring cancellation (a waiter without an id is only resumed with the value; the
    /// loop is for the type checker).
    func wait() async -> Value {
        while true {
            if let value = await register(id: nil) { return value }
        }
    }

    /// Waits for the value; `nil` once the calling task is cancelled.
    func waitUnlessCancelled() async -> Value? {
        let id = state.withLock { state -> Int in
            state.nextId += 1
            return state.nextId
        }
        return await withTaskCancellationHandler {
            await register(id: id)
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: nil)
        }
    }

    /// Suspends until the value is there (or, with an `id`, until that waiter is removed on cancellation).
    private func register(id: Int?) async -> Value? {
        await withCheckedContinuation { continuation in
            let outcome = state.withLock { state -> (resume: Bool, value: Value?) in
                if let value = state.value { return (true, value) }
                if id != nil, Task.isCancelled { return (true, nil) }
                let key =
                    id
                    ?? {
                        state.nextId += 1
                        return state.nextId
                    }()
                state.waiters[key] = continuation
                return (false, nil)
            }
            if outcome.resume { continuation.resume(returning: outcome.value) }
        }
    }
}
