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
            "execution_id": "\(record.id)", "flow": "\(record.flowName)", "status": "\(record.status.rawValue)",
            "duration_ms": "\((result.duration.inMilliseconds * 1000).rounded() / 1000)",
            "mode": "\(record.mode.rawValue)",
        ]
        if let failure = result.failure {
            metadata["failed_step"] = failure.failedStep.map { "\($0)" }
            metadata["error_type"] = "\(failure.type)"
            metadata["error"] = "\(failure.message)"
            logger.warning("execution failed", metadata: metadata)
        } else {
            if let reason = record.cancelReason ?? result.reason { metadata["reason"] = "\(reason)" }
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
            var metadata: Logger.Metadata = ["execution_id": "\(event.executionId)", "flow": "\(flow)"]
            for key in ["step_id", "task", "attempt", "attempts", "error_type", "error"] {
                if let value = event.data[key] { metadata[key] = "\(value.stringValue ?? value.jsonText)" }
            }
            logger.warning(message, metadata: metadata)
        }
    }
}
