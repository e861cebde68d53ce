import Foundation
import OrderedCollections

extension StepRunner {
    /// Uses a task step's journaled outcome instead of running it again: its output becomes the step's result,
    /// or its failure goes to `on_error` (or ends the run) as it did the first time. Events are emitted as for a
    /// run of the step, marked `replayed`.
    ///
    /// - Throws: ``FlowRunError`` (`ResumeMismatch`) when the journal says another task ran at this path: the
    ///   flow's definition changed under the execution, and reusing the outcome would give a wrong result.
    func replay(_ entry: StepJournalEntry, of step: TaskStep, in scope: ExecutionScope, at path: StepPath, emits: Bool)
        async throws
    {
        let stepId = step.stepId
        guard entry.task == step.task else {
            throw FlowRunError(
                "Step '\(stepId)' (at \(path)) cannot be resumed: before the interruption task '\(entry.task)' ran "
                    + "there, but the flow now runs '\(step.task)'; the flow changed under this execution",
                type: "ResumeMismatch",
                step: stepId.rawValue,
                isRetryable: false
            )
        }
        let durationMs = FlowValue.double(entry.finishedAt.timeIntervalSince(entry.startedAt) * 1000)
        if emits {
            emitter.emit(
                .stepStarted,
                [
                    "step_id": .string(stepId.rawValue), "step_path": .string(path.description),
                    "task": .string(step.task),
                    "inputs": entry.inputs, "replayed": true,
                ]
            )
        }
        switch entry.outcome {
        case .completed(let output):
            if let id = step.id { scope.store(output, for: id) }
            if emits {
                emitter.emit(
                    .stepCompleted,
                    [
                        "step_id": .string(stepId.rawValue), "step_path": .string(path.description),
                        "task": .string(step.task),
                        "outputs": output,
                        "duration_ms": durationMs, "replayed": true,
                    ]
                )
            }
        case .failed(let message, let type):
            let failure = StepFailure(message: message, type: type, step: stepId.rawValue, attempts: entry.attempts)
            if emits {
                emitter.emit(
                    .stepFailed,
                    [
                        "step_id": .string(stepId.rawValue), "step_path": .string(path.description),
                        "task": .string(step.task),
                        "error": .string(message),
                        "error_type": .string(type), "attempts": .int(entry.attempts), "duration_ms": durationMs,
                        "replayed": true,
                    ]
                )
            }
            guard let handler = step.onError else { throw failure }
            try await runSteps(handler, in: scope.handler(error: failure.errorValue), at: path.list("on_error"))
        }
    }
}
