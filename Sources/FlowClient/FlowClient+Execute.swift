import NIOHTTP1

extension FlowClient {
    // MARK: - Running a flow and waiting for its outputs

    /// `POST /flows/{flow}/execute`: runs the flow and returns its outputs once it has ended.
    ///
    /// - Parameter idempotencyKey: sent as `Idempotency-Key`, for servers and proxies that run a request with a
    ///   key they have seen only once; with a key, a connection lost mid-request is retried too.
    /// - Throws: ``FlowClientError/executionFailed(error:errorType:failedStep:)`` when the flow fails,
    ///   ``FlowClientError/executionCancelled(reason:)`` when it is cancelled, and the other ``FlowClientError``s.
    public func execute(
        flow: String,
        inputs: [String: FlowValue] = [:],
        idempotencyKey: String? = nil
    ) async throws -> FlowResult<[String: FlowValue]> {
        try await execute(flow: flow, body: InputsBody.bytes(inputs), idempotencyKey: idempotencyKey)
    }

    /// `POST /flows/{flow}/execute` with inputs from an `Encodable` value, which must encode as a JSON object.
    public func execute<Inputs: Encodable>(
        flow: String,
        inputs: Inputs,
        idempotencyKey: String? = nil
    ) async throws -> FlowResult<[String: FlowValue]> {
        try await execute(flow: flow, body: InputsBody.bytes(inputs), idempotencyKey: idempotencyKey)
    }

    /// `POST /flows/{flow}/execute`, with the outputs decoded as `Outputs`.
    ///
    /// - Throws: ``FlowClientError/decodingFailed(_:)`` when the outputs do not decode.
    public func execute<Outputs: Decodable & Sendable>(
        flow: String,
        inputs: [String: FlowValue] = [:],
        as type: Outputs.Type,
        idempotencyKey: String? = nil
    ) async throws -> FlowResult<Outputs> {
        let result = try await execute(flow: flow, inputs: inputs, idempotencyKey: idempotencyKey)
        return result.with(outputs: try InputsBody.decode(result.outputs, as: type))
    }

    /// `POST /flows/{flow}/execute` with `Encodable` inputs and the outputs decoded as `Outputs`.
    public func execute<Inputs: Encodable, Outputs: Decodable & Sendable>(
        flow: String,
        inputs: Inputs,
        as type: Outputs.Type,
        idempotencyKey: String? = nil
    ) async throws -> FlowResult<Outputs> {
        let result = try await execute(flow: flow, inputs: inputs, idempotencyKey: idempotencyKey)
        return result.with(outputs: try InputsBody.decode(result.outputs, as: type))
    }

    private func execute(
        flow: String,
        body: [UInt8],
        idempotencyKey: String?
    ) async throws -> FlowResult<[String: FlowValue]> {
        let reply = try await transport.json(
            executeRequest(flow: flow, body: body, idempotencyKey: idempotencyKey, respondAsync: false)
        )
        return try Outcome.result(
            from: reply.json,
            flow: flow,
            executionId: reply.headers.first(name: "X-Execution-Id")
        )
    }

    // MARK: - Starting a flow in the background

    /// `POST /flows/{flow}/execute` with `Prefer: respond-async`: starts the flow and returns at once with a
    /// handle to follow, wait for or cancel it.
    ///
    /// A server that ignores `Prefer` (the original Python server) runs the flow before answering; the handle
    /// then holds the result already.
    public func start(
        flow: String,
        inputs: [String: FlowValue] = [:],
        idempotencyKey: String? = nil
    ) async throws -> ExecutionHandle {
        try await start(flow: flow, body: InputsBody.bytes(inputs), idempotencyKey: idempotencyKey)
    }

    /// `start(flow:inputs:idempotencyKey:)` with inputs from an `Encodable` value.
    public func start<Inputs: Encodable>(
        flow: String,
        inputs: Inputs,
        idempotencyKey: String? = nil
    ) async throws -> ExecutionHandle {
        try await start(flow: flow, body: InputsBody.bytes(inputs), idempotencyKey: idempotencyKey)
    }

    private func start(flow: String, body: [UInt8], idempotencyKey: String?) async throws -> ExecutionHandle {
        let reply = try await transport.json(
            executeRequest(flow: flow, body: body, idempotencyKey: idempotencyKey, respondAsync: true)
        )
        let id = reply.json["execution_id"]?.stringValue ?? reply.headers.first(name: "X-Execution-Id")
        guard reply.status == 202 else {
            return ExecutionHandle(transport: transport, flow: flow, executionId: id ?? "", finished: reply.json)
        }
        guard let id else { throw FlowClientError.invalidResponse("the 202 answer names no execution_id") }
        return ExecutionHandle(
            transport: transport,
            flow: flow,
            executionId: id,
            location: reply.headers.first(name: "Location")
        )
    }

    // MARK: - Streaming a run's events

    /// `POST /flows/{flow}/execute/stream`: runs the flow and delivers its events as they happen.
    ///
    /// The request is sent when iteration starts; see ``FlowEventStream`` for how iteration ends, and for
    /// cancellation, which cancels the run on the server too.
    public func stream(flow: String, inputs: [String: FlowValue] = [:]) -> FlowEventStream {
        stream(flow: flow, body: .success(InputsBody.bytes(inputs)))
    }

    /// `stream(flow:inputs:)` with inputs from an `Encodable` value; inputs that do not
    /// encode are reported by the first `next()`.
    public func stream<Inputs: Encodable>(flow: String, inputs: Inputs) -> FlowEventStream {
        stream(flow: flow, body: Result { () throws(FlowClientError) in try InputsBody.bytes(inputs) })
    }

    private func stream(flow: String, body: Result<[UInt8], FlowClientError>) -> FlowEventStream {
        FlowEventStream(
            transport: transport,
            request: body.map { body in
                Transport.Request(
                    method: .POST,
                    path: Self.path(flow) + "/execute/stream",
                    body: body,
                    target: .flow(flow),
                    accept: "text/event-stream"
                )
            },
            cancelExecution: { [transport] id in
                // One attempt: the reader is waiting, and the server also cancels the run once it notices the
                // closed connection.
                _ = try? await ExecutionHandle(transport: transport.once, flow: flow, executionId: id).cancel()
            }
        )
    }

    private func executeRequest(
        flow: String,
        body: [UInt8],
        idempotencyKey: String?,
        respondAsync: Bool
    )
        -> Transport.Request
    {
        var headers: [(name: String, value: String)] = []
        if respondAsync { headers.append(("Prefer", "respond-async")) }
        if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }
        return Transport.Request(
            method: .POST,
            path: Self.path(flow) + "/execute",
            body: body,
            headers: headers,
            target: .flow(flow)
        )
    }
}
