public import FlowCore
import Synchronization

/// Records every call of the task handlers it wraps, safely from any number of concurrent tasks.
///
/// A ``MockTaskRegistry`` records through one of these; use a recorder directly to watch a registry
/// without mocking anything:
/// ```swift
/// let recorder = TaskCallRecorder()
/// let executor = FlowExecutor(registry: recorder.wrapping(makeTaskRegistry()))
/// _ = try await executor.execute(flow)
/// #expect(recorder.callCount(of: "SendEmail") == 1)
/// let calls = recorder.allCalls                      // in start order
/// #expect(calls[0].overlaps(calls[1]))               // ran concurrently
/// ```
public final class TaskCallRecorder: Sendable {
    private struct State {
        var calls: [RecordedTaskCall] = []
        /// Index in `calls` of each running call, by its token.
        var running: [Int: Int] = [:]
        var nextToken = 0
        var tick = 0
        /// Tests waiting for the `number`th call of a task.
        var waiters: [(task: String, number: Int, continuation: CheckedContinuation<RecordedTaskCall, Never>)] = []
    }

    private let state = Mutex(State())

    /// Creates an empty recorder.
    public init() {}

    /// `handler`, recording each of its calls as a call of `name`.
    ///
    /// The call is recorded before the handler runs and completed when it returns or throws; errors pass
    /// through unchanged.
    public func recording(_ name: String, _ handler: @escaping TaskHandler) -> TaskHandler {
        { [self] inputs, context in
            let token = begin(name, inputs: inputs, context: context)
            do {
                let output = try await handler(inputs, context)
                end(token, .returned(output))
                return output
            } catch {
                let (message, type) = ErrorDescription.of(error)
                end(token, .threw(message: message, type: type))
                throw error
            }
        }
    }

    /// A copy of `registry` whose implemented tasks record their calls here; stubs stay stubs.
    ///
    /// Built-in tasks are re-registered as ordinary tasks with the same name and behaviour.
    public func wrapping(_ registry: TaskRegistry) -> TaskRegistry {
        var wrapped = TaskRegistry(includeBuiltins: false)
        for task in registry.allTasks {
            if task.isImplemented {
                wrapped.register(task.name, description: task.description, recording(task.name, task.handler))
            } else {
                wrapped.registerStub(task.name, description: task.description)
            }
        }
        return wrapped
    }

    /// Every recorded call, in the order the calls started.
    public var allCalls: [RecordedTaskCall] { state.withLock { $0.calls } }

    /// The calls of `taskName`, in the order they started.
    public func calls(to taskName: String) -> [RecordedTaskCall] {
        state.withLock { $0.calls.filter { $0.taskName == taskName } }
    }

    /// How many times `taskName` was called.
    public func callCount(of taskName: String) -> Int {
        state.withLock { $0.calls.count { $0.taskName == taskName } }
    }

    /// The `index`-th call (from 0) of `taskName`.
    ///
    /// - Throws: ``TaskCallIndexError`` ("Task 'X' was called N times, cannot get call I") when there is no
    ///   such call.
    public func call(_ taskName: String, at index: Int) throws(TaskCallIndexError) -> RecordedTaskCall {
        let calls = calls(to: taskName)
        guard calls.indices.contains(index) else {
            throw TaskCallIndexError(taskName: taskName, callCount: calls.count, index: index)
        }
        return calls[index]
    }

    /// Waits until `taskName` has been called `number` times (from 1) and returns that call as it started:
    /// for tests that act once a run reached a task (a cleanup, a held step) without polling.
    public func waitForCall(to taskName: String, number: Int = 1) async -> RecordedTaskCall {
        let number = max(1, number)
        return await withCheckedContinuation { continuation in
            let call = state.withLock { state -> RecordedTaskCall? in
                let calls = state.calls.filter { $0.taskName == taskName }
                if calls.count >= number { return calls[max(0, number - 1)] }
                state.waiters.append((taskName, number, continuation))
                return nil
            }
            if let call { continuation.resume(returning: call) }
        }
    }

    /// Forgets every recorded call; calls still running when this happens are not recorded when they end.
    /// Tests waiting for a call go on waiting.
    public func reset() {
        state.withLock { $0 = State(nextToken: $0.nextToken, waiters: $0.waiters) }
    }

    private func begin(_ name: String, inputs: FlowValue, context: TaskContext) -> Int {
        let (token, call, ready) = state.withLock { state in
            let now = ContinuousClock.now
            let token = state.nextToken
            state.nextToken += 1
            state.tick += 1
            state.running[token] = state.calls.count
            state.calls.append(
                RecordedTaskCall(
                    sequence: state.calls.count,
                    taskName: name,
                    stepId: context.stepId,
                    executionId: context.executionId,
                    attempt: context.attempt,
                    inputs: inputs,
                    startedAt: now,
                    startOrder: state.tick
                )
            )
            let number = state.calls.count { $0.taskName == name }
            let ready = state.waiters.filter { $0.task == name && $0.number == number }.map(\.continuation)
            state.waiters.removeAll { $0.task == name && $0.number == number }
            return (token, state.calls[state.calls.count - 1], ready)
        }
        for waiter in ready { waiter.resume(returning: call) }
        return token
    }

    private func end(_ token: Int, _ outcome: RecordedTaskCall.Outcome) {
        state.withLock { state in
            let now = ContinuousClock.now
            guard let index = state.running.removeValue(forKey: token) else { return }
            state.tick += 1
            state.calls[index].endedAt = now
            state.calls[index].endOrder = state.tick
            state.calls[index].outcome = outcome
        }
    }
}
