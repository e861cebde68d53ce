import NIOHTTP1

/// One execution on the server, known by its id: ask its status, wait for its result, follow its events, cancel it.
///
/// ```swift
/// let handle = try await client.start(flow: "Report", inputs: ["month": "2025-01"])
/// print(try await handle.status().state)   // running
/// let result = try await handle.result()     // follows the execution's events until it ends
/// ```
public struct ExecutionHandle: Sendable {
    /// The flow the execution runs.
    public let flow: String
    /// The execution's id.
    public let executionId: String
    /// Where the server says the execution's status is (the `Location` of a 202 answer).
    public let location: String?

    private let transport: Transport
    /// The execute response when the server ran the flow before answering.
    private let finished: FlowValue?

    init(
        transport: Transport,
        flow: String,
        executionId: String,
        location: String? = nil,
        finished: FlowValue? = nil
    ) {
        self.transport = transport
        self.flow = flow
        self.executionId = executionId
        self.location = location
        self.finished = finished
    }

    private var path: String { FlowClient.path(flow) + "/executions/" + pathSegment(executionId) }
    private var target: ErrorResponse.Target { .execution(flow: flow, id: executionId) }

    /// `GET /flows/{flow}/executions/{id}`: the execution's state now.
    public func status() async throws -> ExecutionStatus {
        try ExecutionStatus(json: try await transport.json(.init(method: .GET, path: path, target: target)).json)
    }

    /// Waits until the execution has ended and returns its outputs, by following its events.
    ///
    /// Cancelling the waiting task stops waiting; the execution goes on (use ``cancel()`` to stop it).
    /// - Throws: ``FlowClientError/executionFailed(error:errorType:failedStep:)``,
    ///   ``FlowClientError/executionCancelled(reason:)`` and the other ``FlowClientError``s.
    public func result() async throws -> FlowResult<[String: FlowValue]> {
        if let finished { return try Outcome.result(from: finished, flow: flow, executionId: executionId) }
        var final: FlowEvent?
        do {
            for try await event in events() where event.isFinal { final = event }
        } catch FlowClientError.incompleteStream(let reason) {
            // The server keeps a bounded number of events per execution; its record holds the outcome.
            let status = try await status()
            guard status.state.isFinished, let result = status.json["result"], !result.isNull else {
                throw FlowClientError.incompleteStream(reason)
            }
            return try Outcome.result(from: result, flow: flow, executionId: executionId)
        }
        guard let final else { throw FlowClientError.incompleteStream("the events ended without a final event") }
        return try final.outcome(flow: flow)
    }

    /// ``result()`` with the outputs decoded as `Outputs`.
    public func result<Outputs: Decodable & Sendable>(as type: Outputs.Type) async throws -> FlowResult<Outputs> {
        let result = try await result()
        return result.with(outputs: try InputsBody.decode(result.outputs, as: type))
    }

    /// `GET /flows/{flow}/executions/{id}/events`: the events so far, then the rest live until the execution ends.
    ///
    /// Cancelling the reading task stops reading; the execution goes on.
    public func events() -> FlowEventStream {
        FlowEventStream(
            transport: transport,
            request: .success(.init(method: .GET, path: path + "/events", target: target, accept: "text/event-stream")),
            cancelExecution: nil
        )
    }

    /// `POST /flows/{flow}/executions/{id}/cancel`: asks the server to cancel the execution.
    ///
    /// - Returns: whether cancellation was requested; `false` when the execution had already ended.
    @discardableResult
    public func cancel() async throws -> Bool {
        let reply = try await transport.json(.init(method: .POST, path: path + "/cancel", target: target))
        return reply.json["success"]?.boolValue ?? false
    }
}
