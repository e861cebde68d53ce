/// `GET /health`: whether the server is up and its flows are ready to run.
public struct ServerHealth: Sendable, Equatable {
    /// `healthy` while the server answers.
    public var status: String
    /// Whether every served flow's tasks are implemented.
    public var isReady: Bool
    /// The tasks still to implement, single-flow and multi-flow servers alike.
    public var pendingTasks: [String]
    /// How many executions are running now, when the server says.
    public var executionsRunning: Int?
    /// The whole answer: its shape differs between single-flow and multi-flow servers.
    public var json: FlowValue

    init(json: FlowValue) throws(FlowClientError) {
        guard let status = json["status"]?.stringValue else {
            throw .invalidResponse("the health answer has no 'status'")
        }
        self.status = status
        self.isReady = json["ready"]?.boolValue ?? json["all_flows_ready"]?.boolValue ?? true
        let perFlow = json["flows"]?.arrayValue ?? []
        let names =
            (json["pending_task_names"]?.arrayValue ?? [])
            + perFlow.flatMap { $0["pending_task_names"]?.arrayValue ?? [] }
        self.pendingTasks = names.compactMap(\.stringValue)
        self.executionsRunning = json["executions_running"]?.intValue
        self.json = json
    }
}
