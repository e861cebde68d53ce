/// One Server-Sent Event of an execution: `event: <type>` and its one-line JSON `data:`.
public struct FlowEvent: Sendable, Equatable {
    /// The event type as sent: `flow_started`, `step_started`, `step_completed`, `step_failed`, `step_retrying`,
    /// `subflow_started`, `subflow_completed`, `subflow_failed`, `flow_terminated`, `flow_completed`, `flow_failed`,
    /// `flow_cancelled`, or `error`.
    public var type: String
    /// The event's data: an object with fields such as `step_id`, `task`, `outputs`, `error`, `duration_ms`,
    /// `timestamp` and `execution_id`.
    public var data: FlowValue

    public init(type: String, data: FlowValue) {
        self.type = type
        self.data = data
    }

    /// The execution the event belongs to.
    public var executionId: String? { data["execution_id"]?.stringValue }

    /// The step the event is about, if any.
    public var stepId: String? { data["step_id"]?.stringValue }

    /// The subflows the event came from, outermost first; empty for the flow itself.
    public var subflowPath: [String] { data["subflow_path"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    /// Whether the event ends the execution: the flow's own `flow_completed`, `flow_failed` or `flow_cancelled`,
    /// or an `error` the server reports instead.
    public var isFinal: Bool {
        subflowPath.isEmpty && Self.finalTypes.contains(type)
    }

    static let finalTypes: Set<String> = ["flow_completed", "flow_failed", "flow_cancelled", "error"]

    /// The result a final event reports; throws the failure or cancellation it reports.
    func outcome(flow: String) throws(FlowClientError) -> FlowResult<[String: FlowValue]> {
        switch type {
        case "flow_completed":
            return try Outcome.result(from: data, flow: flow, executionId: executionId)
        case "flow_cancelled":
            throw .executionCancelled(reason: data["reason"]?.stringValue)
        default:
            throw Outcome.failure(data)
        }
    }
}
