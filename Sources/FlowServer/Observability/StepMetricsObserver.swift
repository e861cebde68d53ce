import FlowCore
import OrderedCollections

/// Records step durations, failures and retries by task from an execution's events.
///
/// Steps marked `silent` emit no events and so are not counted.
struct StepMetricsObserver: ExecutionObserver {
    let metrics: ServerMetrics

    func receive(_ event: ExecutionEvent) {
        switch event.kind {
        case .stepCompleted, .stepFailed:
            guard let task = event.data["task"]?.stringValue,
                case .double(let milliseconds)? = event.data["duration_ms"]
            else { return }
            metrics.task(task).stepFinished(milliseconds: milliseconds, failed: event.kind == .stepFailed)
        case .stepRetrying:
            guard let task = event.data["task"]?.stringValue else { return }
            metrics.task(task).retried()
        default:
            return
        }
    }
}
