import FlowCore
import Logging
import OrderedCollections

/// The log lines of executions: a `warning` for each failed step and each retry, and one line when an
/// execution finishes (`info`, or `warning` when it failed). Lines carry ids, names, statuses and error
/// messages, never input or output values.
struct ExecutionLog: Sendable {
    let logger: Logger

    /// Observes one execution's steps.
    func observer(flow: String) -> some ExecutionObserver {
        StepObserver(logger: logger, flow: flow)
    }

    /// The line for a finished execution.
    func finished(_ record: ExecutionRecord, result: ExecutionResult) {
        var metadata: Logger.Metadata = [
            LogKey.executionId: "\(record.id)", LogKey.flow: "\(record.flowName)",
            LogKey.status: "\(record.status.rawValue)",
            LogKey.durationMs: "\((result.duration.inMilliseconds * 1000).rounded() / 1000)",
            LogKey.mode: "\(record.mode.rawValue)",
        ]
        if let failure = result.failure {
            metadata[LogKey.failedStep] = failure.failedStep.map { "\($0)" }
            metadata[LogKey.errorType] = "\(failure.type)"
            metadata[LogKey.error] = "\(failure.message)"
            logger.warning("execution failed", metadata: metadata)
        } else {
            if let reason = record.cancelReason ?? result.reason { metadata[LogKey.reason] = "\(reason)" }
            logger.info("execution finished", metadata: metadata)
        }
    }

    private struct StepObserver: ExecutionObserver {
        let logger: Logger
        let flow: String

        func receive(_ event: ExecutionEvent) {
            let message: Logger.Message
            switch event.kind {
            case .stepFailed: message = "step failed"
            case .stepRetrying: message = "step failed, retrying"
            default: return
            }
            var metadata: Logger.Metadata = [LogKey.executionId: "\(event.executionId)", LogKey.flow: "\(flow)"]
            // The events' fields, logged under the same names.
            for key in [LogKey.stepId, LogKey.task, LogKey.attempt, LogKey.attempts, LogKey.errorType, LogKey.error] {
                if let value = event.data[key] { metadata[key] = "\(value.stringValue ?? value.jsonText)" }
            }
            logger.warning(message, metadata: metadata)
        }
    }
}
