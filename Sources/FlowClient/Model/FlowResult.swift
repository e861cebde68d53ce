/// A flow that ran to its end: its outputs and how it got there.
///
/// `Outputs` is `[String: FlowValue]` for `execute(flow:inputs:)`
/// and your own `Decodable` type for the `as:` variants.
public struct FlowResult<Outputs: Sendable>: Sendable {
    /// The execution's id; empty when the server does not report one (the original Python server).
    public var executionId: String
    /// The flow's name.
    public var flow: String
    /// The flow's outputs (an `exit` step's outputs when it ended early).
    public var outputs: Outputs
    /// How long the run took, as the server measured it.
    public var duration: Duration?
    /// Whether an `exit` step ended the flow.
    public var terminated: Bool
    /// The `exit` step's reason.
    public var terminationReason: String?

    public init(
        executionId: String,
        flow: String,
        outputs: Outputs,
        duration: Duration? = nil,
        terminated: Bool = false,
        terminationReason: String? = nil
    ) {
        self.executionId = executionId
        self.flow = flow
        self.outputs = outputs
        self.duration = duration
        self.terminated = terminated
        self.terminationReason = terminationReason
    }

    /// The same result with other outputs.
    func with<Other: Sendable>(outputs: Other) -> FlowResult<Other> {
        FlowResult<Other>(
            executionId: executionId,
            flow: flow,
            outputs: outputs,
            duration: duration,
            terminated: terminated,
            terminationReason: terminationReason
        )
    }
}

extension FlowResult: Equatable where Outputs: Equatable {}
