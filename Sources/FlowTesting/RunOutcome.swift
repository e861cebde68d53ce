import FlowCore

/// One-line descriptions of how an execution ended, for assertion messages.
enum RunOutcome {
    /// "Flow execution completed", "Flow execution was terminated: r", "Flow execution failed: m (t) at step
    /// 's'" or "Flow execution was cancelled: r".
    static func describe(_ result: ExecutionResult) -> String {
        switch result.status {
        case .completed:
            return "Flow execution completed"
        case .terminated:
            return "Flow execution was terminated: \(result.reason ?? "")"
        case .failed:
            let failure = result.failure
            let step = failure?.failedStep.map { " at step '\($0)'" } ?? ""
            return "Flow execution failed: \(failure?.message ?? "") (\(failure?.type ?? ""))\(step)"
        case .cancelled:
            return "Flow execution was cancelled: \(result.reason ?? "")"
        }
    }
}
