import FlowCore
import Hummingbird
import OrderedCollections

/// Listing, inspecting, cancelling and following executions.
struct ExecutionsController {
    let server: ServerContext

    /// A flow's executions, one execution, its cancel and its events, added under each of
    /// ``FlowRoutes/prefixes(_:)``.
    var routes: RouteCollection<FlowRequestContext> {
        let routes = RouteCollection(context: FlowRequestContext.self)
        routes.get("/flows/:flow/executions") { request, context in
            let flow = try server.flow(context)
            let limit = try QueryParameter.integer("limit", in: request, minimum: 0, default: 100)
            let records = try await server.executions.store.records(
                flow: flow.name, version: flow.version, limit: limit)
            return Response.json([
                "flow": .string(flow.name), "executions": .array(records.map(Self.summary)),
                "count": .int(records.count),
            ])
        }
        routes.get("/flows/:flow/executions/:id") { _, context in
            Response.json(try await record(context).json)
        }
        routes.post("/flows/:flow/executions/:id/cancel") { _, context in
            try await cancel(context)
        }
        routes.get("/flows/:flow/executions/:id/events") { request, context in
            try await events(request, context)
        }
        return routes
    }

    /// A record without its result and inputs, for listings.
    static func summary(_ record: ExecutionRecord) -> FlowValue {
        var fields = record.json.objectValue ?? [:]
        fields["result"] = nil
        fields["inputs"] = nil
        return .object(fields)
    }

    private func record(_ context: some RequestContext) async throws -> ExecutionRecord {
        let flow = try server.flow(context)
        let id = ExecutionID(rawValue: try context.parameters.require("id"))
        guard let record = try await server.executions.store.record(id: id), record.flowName == flow.name else {
            throw APIError.envelope(.notFound, "Execution not found: \(id)")
        }
        if let version = flow.version, record.flowVersion != version {
            let owner = record.flowVersion.map { "; it ran version \($0) of \(flow.name)" } ?? ""
            throw APIError.envelope(.notFound, "Execution not found: \(id)\(owner)")
        }
        return record
    }

    private func cancel(_ context: some RequestContext) async throws -> Response {
        let record = try await record(context)
        if record.status == .running, await server.executions.cancel(id: record.id, reason: "Cancelled by user request")
        {
            return Response.json([
                "success": true, "message": "Execution cancellation requested",
                "execution_id": .string(record.id.rawValue),
                "flow": .string(record.flowName),
            ])
        }
        let current = try await server.executions.store.record(id: record.id) ?? record
        return Response.json([
            "success": false, "message": .string("Execution already \(current.status.rawValue)"),
            "execution_id": .string(current.id.rawValue), "status": .string(current.status.rawValue),
        ])
    }

    /// Replays a finished execution's events, or follows a running one live until it ends.
    private func events(_ request: Request, _ context: some RequestContext) async throws -> Response {
        try await Self.events(
            of: try await record(context), server: server, after: ServerSentEvents.lastEventPosition(request))
    }

    /// The events of `record` as Server-Sent Events: live while it runs here, else as stored. Each carries its
    /// position as `id:`; a client reconnecting with `Last-Event-ID: N` gets only the events after the Nth.
    static func events(of record: ExecutionRecord, server: ServerContext, after received: Int = 0) async throws
        -> Response
    {
        let executions = server.executions
        if let following = executions.follow(id: record.id) {
            let body = ServerSentEvents.body(
                pingInterval: server.configuration.pingInterval, clock: server.clock, onDisconnect: {}
            ) {
                frames in
                // The events so far are a replay. Then, once an event comes, the stream waits `followPace` for
                // those that follow and sends them together: a fast run is neither slowed down by a follower waking
                // at each of its events nor by its client reading them while it runs.
                func batch(of events: [ExecutionEvent], after read: Int) -> ByteBuffer {
                    var batch = ByteBuffer()
                    for (offset, event) in events.enumerated() where read + offset + 1 > received {
                        var frame = following.frame(event, position: read + offset + 1)
                        batch.writeBuffer(&frame)
                    }
                    return batch
                }
                let past = following.available(after: 0)
                frames.sendReplay([batch(of: past, after: 0)])
                var read = past.count
                while !(await following.events(after: read)).isEmpty {
                    do {
                        try await Task.sleep(for: Self.followPace)
                    } catch {
                        return
                    }
                    let events = following.available(after: read)
                    let sent = batch(of: events, after: read)
                    if sent.readableBytes > 0 { frames.send(sent) }
                    read += events.count
                }
            }
            return Response(status: .ok, headers: ServerSentEvents.headers, body: body)
        }
        let stored = try await executions.store.record(id: record.id) ?? record
        guard stored.status == .running, executions.store.sharesRuns else {
            return Response(
                status: .ok, headers: ServerSentEvents.headers,
                body: ResponseBody(byteBuffer: frames(of: stored, after: received)))
        }
        // Another instance runs it and shares its events through the store: they are read from there until it ends.
        let store = executions.store
        let (clock, interval) = (server.clock, Self.storedRunPollInterval)
        let body = ServerSentEvents.body(
            pingInterval: server.configuration.pingInterval, clock: clock, onDisconnect: {}
        ) { frames in
            var sent = received
            var current = stored
            while current.status == .running {
                do {
                    for event in try await store.liveEvents(id: stored.id, after: sent) {
                        sent += 1
                        frames.send(ServerSentEvents.frame(event, position: sent))
                    }
                    try await clock.sleep(for: interval)
                    current = try await store.record(id: stored.id) ?? current
                } catch {
                    return
                }
            }
            frames.send(Self.frames(of: current, after: sent))
        }
        return Response(status: .ok, headers: ServerSentEvents.headers, body: body)
    }

    /// How long a live stream lets events gather, once one came, before it sends them together. Real time,
    /// not the server's clock: it paces the follower, it measures nothing.
    static let followPace: Duration = .milliseconds(10)

    /// How often a stream of an execution another instance runs reads the store for new events.
    static let storedRunPollInterval: Duration = .milliseconds(250)

    /// The stored events of `record` after the `received`th, framed with their positions.
    private static func frames(of record: ExecutionRecord, after received: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        for (index, event) in record.events.enumerated().dropFirst(received) {
            var frame = ServerSentEvents.frame(event, position: index + 1)
            buffer.writeBuffer(&frame)
        }
        return buffer
    }
}
