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

    /// Forgets every recorded call; calls still running when this happens are not recorded when they end.
    public func reset() {
        state.withLock { $0 = State(nextToken: $0.nextToken) }
    }

    private func begin(_ name: String, inputs: FlowValue, context: TaskContext) -> Int {
        state.withLock { state in
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
            return token
        }
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
