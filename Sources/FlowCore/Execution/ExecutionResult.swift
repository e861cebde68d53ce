public import OrderedCollections

/// How an execution ended and what it produced.
public struct ExecutionResult: Sendable {
    /// How the execution ended.
    public enum Status: String, Sendable, Codable {
        /// Every step ran; `outputs` holds the declared outputs.
        case completed
        /// An `exit` step ended the flow early; this counts as success.
        case terminated
        /// A step failed and nothing handled it.
        case failed
        /// The execution was cancelled or timed out.
        case cancelled
    }

    /// Why a failed execution failed.
    public struct Failure: Sendable, Equatable {
        /// The failing task's own message, or the engine's.
        public var message: String
        /// The error's type name, e.g. the task's `TaskError.type`.
        public var type: String
        /// The step that failed, when one did.
        public var failedStep: String?
        /// How many attempts the failing step made.
        public var attempts: Int?

        public init(message: String, type: String, failedStep: String? = nil, attempts: Int? = nil) {
            self.message = message
            self.type = type
            self.failedStep = failedStep
            self.attempts = attempts
        }
    }

    public var executionId: ExecutionID
    public var flowName: String
    public var status: Status
    /// Declared outputs when completed; exit outputs when terminated; empty otherwise.
    public var outputs: OrderedDictionary<String, FlowValue>
    /// The exit reason, or the cancellation reason.
    public var reason: String?
    public var failure: Failure?
    /// Errors from `on_cancel` steps.
    public var cleanupErrors: [String]
    public var duration: Duration

    public init(
        executionId: ExecutionID,
        flowName: String,
        status: Status,
        outputs: OrderedDictionary<String, FlowValue> = [:],
        reason: String? = nil,
        failure: Failure? = nil,
        cleanupErrors: [String] = [],
        duration: Duration = .zero
    ) {
        self.executionId = executionId
        self.flowName = flowName
        self.status = status
        self.outputs = outputs
        self.reason = reason
        self.failure = failure
        self.cleanupErrors = cleanupErrors
        self.duration = duration
    }

    /// Whether the flow succeeded (completed or terminated by `exit`).
    public var isSuccess: Bool { status == .completed || status == .terminated }

    /// The result as FlowLang's clients expect it: `success`, `outputs`, and `terminated`/`reason`,
    /// `error`/`error_type`/`failed_step`, or `cancelled`/`cleanup_errors`, plus `execution_id`.
    public var json: FlowValue {
        var fields = OrderedDictionary<String, FlowValue>()
        fields["success"] = .bool(isSuccess)
        switch status {
        case .completed:
            fields["outputs"] = .object(outputs)
        case .terminated:
            fields["terminated"] = .bool(true)
            fields["reason"] = reason.map(FlowValue.string) ?? .null
            fields["outputs"] = .object(outputs)
        case .failed:
            fields["error"] = .string(failure?.message ?? "")
            fields["error_type"] = .string(failure?.type ?? "")
            fields["failed_step"] = failure?.failedStep.map(FlowValue.string) ?? .null
            if let attempts = failure?.attempts { fields["attempts"] = .int(attempts) }
        case .cancelled:
            fields["cancelled"] = .bool(true)
            fields["reason"] = reason.map(FlowValue.string) ?? .null
            fields["outputs"] = .object(outputs)
            fields["cleanup_errors"] = cleanupErrors.isEmpty ? .null : .array(cleanupErrors.map(FlowValue.string))
        }
        fields["execution_id"] = .string(executionId.rawValue)
        return .object(fields)
    }
}
