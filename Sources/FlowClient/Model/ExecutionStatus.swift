/// What the server knows about one execution (`GET /flows/{flow}/executions/{id}`, and each entry of the list).
public struct ExecutionStatus: Sendable, Equatable {
    /// An execution's lifecycle state.
    public struct State: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// Still running.
        public static let running = State(rawValue: "running")
        /// Ended with outputs (an `exit` step included).
        public static let completed = State(rawValue: "completed")
        /// Ended with an error.
        public static let failed = State(rawValue: "failed")
        /// Cancelled before it ended.
        public static let cancelled = State(rawValue: "cancelled")

        /// Whether the execution has ended.
        public var isFinished: Bool { self != .running }

        public var description: String { rawValue }
    }

    public var executionId: String
    public var flow: String
    public var state: State
    /// When it started: ISO-8601 UTC without an offset, as the server writes it.
    public var startTime: String?
    /// When it ended, in the same form; `nil` while running.
    public var endTime: String?
    /// Why cancellation was requested, once it was (even if the run then completed).
    public var cancelReason: String?
    /// The error of a failed run.
    public var error: String?
    /// The error's type, e.g. `TaskError` or `MaxRetriesExceededError`.
    public var errorType: String?
    /// How it was started: `sync`, `async`, `stream`, `webhook` or `schedule`.
    public var mode: String?
    /// The whole record as the server sent it, with fields this type does not name (such as `result`).
    public var json: FlowValue

    init(json: FlowValue) throws(FlowClientError) {
        guard let id = json["execution_id"]?.stringValue, let state = json["status"]?.stringValue else {
            throw .invalidResponse("an execution record needs 'execution_id' and 'status'")
        }
        self.executionId = id
        self.flow = json["flow_name"]?.stringValue ?? ""
        self.state = State(rawValue: state)
        self.startTime = json["start_time"]?.stringValue
        self.endTime = json["end_time"]?.stringValue
        self.cancelReason = json["cancel_reason"]?.stringValue
        self.error = json["error"]?.stringValue
        self.errorType = json["error_type"]?.stringValue
        self.mode = json["mode"]?.stringValue
        self.json = json
    }
}
