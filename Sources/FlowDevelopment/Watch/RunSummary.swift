package import FlowCore

/// What one run of a flow ended with, as watch mode compares it: status, outputs and error.
///
/// Built from an in-process ``ExecutionResult``, or from the result JSON a package's server prints with `run`.
package struct RunSummary: Sendable, Equatable {
    package var status: ExecutionResult.Status
    /// An object: the flow's outputs (empty when it failed).
    package var outputs: FlowValue
    /// The failure's message, or the reason of an exit step or a cancellation.
    package var message: String?
    /// The failure's type (`TaskError`, `FlowExecutionError`, …) and the step it failed at.
    package var errorType: String?
    package var failedStep: String?

    package init(
        status: ExecutionResult.Status,
        outputs: FlowValue = .emptyObject,
        message: String? = nil,
        errorType: String? = nil,
        failedStep: String? = nil
    ) {
        self.status = status
        self.outputs = outputs
        self.message = message
        self.errorType = errorType
        self.failedStep = failedStep
    }

    package init(_ result: ExecutionResult) {
        self.init(
            status: result.status,
            outputs: .object(result.outputs),
            message: result.status == .failed ? result.failure?.message : result.reason,
            errorType: result.failure?.type,
            failedStep: result.failure?.failedStep
        )
    }

    /// Reads the wire form (`{"success": …, "outputs": …, "error": …}`, see ``ExecutionResult/json``);
    /// `nil` when `json` is not such an object.
    package init?(json: FlowValue) {
        guard let success = json["success"]?.boolValue else { return nil }
        let status: ExecutionResult.Status
        if json["cancelled"]?.boolValue == true {
            status = .cancelled
        } else if !success {
            status = .failed
        } else if json["terminated"]?.boolValue == true {
            status = .terminated
        } else {
            status = .completed
        }
        self.init(
            status: status,
            outputs: json["outputs"] ?? .emptyObject,
            message: json["error"]?.stringValue ?? json["reason"]?.stringValue,
            errorType: json["error_type"]?.stringValue,
            failedStep: json["failed_step"]?.stringValue
        )
    }

    /// Whether the flow succeeded (completed, or ended at an exit step).
    package var isSuccess: Bool { status == .completed || status == .terminated }
}
