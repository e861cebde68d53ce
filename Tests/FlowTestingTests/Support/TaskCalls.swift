import FlowCore
import FlowTesting
import Logging

/// A task context as the executor would pass it.
func makeContext(
    task: String,
    step: String? = nil,
    attempt: Int = 1,
    executionId: ExecutionID = "exec-1"
) -> TaskContext {
    TaskContext(
        executionId: executionId,
        flowName: "TestFlow",
        stepId: StepID(rawValue: step ?? task),
        taskName: task,
        attempt: attempt,
        logger: Logger(label: "flowtesting-tests", factory: { _ in SwiftLogNoOpLogHandler() })
    )
}

extension TaskRegistry {
    /// Calls task `name` as the executor would, failing with the lookup error when it cannot be called.
    func invoke(
        _ name: String,
        _ inputs: FlowValue = .emptyObject,
        step: String? = nil,
        attempt: Int = 1,
        executionId: ExecutionID = "exec-1"
    ) async throws -> FlowValue {
        let task = try callableTask(named: name)
        return try await task.handler(
            inputs,
            makeContext(task: name, step: step, attempt: attempt, executionId: executionId)
        )
    }
}

extension MockTaskRegistry {
    /// Calls task `name` through a freshly taken ``registry``.
    @discardableResult
    func invoke(
        _ name: String,
        _ inputs: FlowValue = .emptyObject,
        step: String? = nil,
        attempt: Int = 1
    ) async throws -> FlowValue {
        try await registry.invoke(name, inputs, step: step, attempt: attempt)
    }
}
