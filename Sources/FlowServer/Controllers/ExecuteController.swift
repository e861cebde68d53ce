import FlowCore
import Foundation
import HTTPTypes
import Hummingbird
import OrderedCollections

/// `POST /flows/{flow}/execute` (synchronous or asynchronous) and `POST /flows/{flow}/execute/stream`.
struct ExecuteController {
    let server: ServerContext

    /// The routes that start executions, added under each of ``FlowRoutes/prefixes(_:)``.
    static let executePath: RouterPath = "/flows/:flow/execute"
    static let streamPath: RouterPath = "/flows/:flow/execute/stream"

    /// Both routes, each behind ``ExecutionLimitMiddleware`` when `MAX_CONCURRENT_EXECUTIONS` is set; only an
    /// execute whose client does not wait may be queued, never a stream.
    var routes: RouteCollection<FlowRequestContext> {
        let routes = RouteCollection(context: FlowRequestContext.self)
        let executeRoute = routes.group()
        let streamRoute = routes.group()
        if server.admission.limit != nil {
            executeRoute.add(
                middleware: ExecutionLimitMiddleware(admission: server.admission, queuesAsynchronous: true))
            streamRoute.add(
                middleware: ExecutionLimitMiddleware(admission: server.admission, queuesAsynchronous: false))
        }
        executeRoute.post(Self.executePath) { request, context in
            try await execute(request, context: context)
        }
        streamRoute.post(Self.streamPath) { request, context in
            try await stream(request, context: context)
        }
        return routes
    }

    private func readInputs(_ request: Request, flow: ServedFlow, context: some RequestContext) async throws
        -> OrderedDictionary<String, FlowValue>
    {
        var request = request
        let body = try await request.collectBody(upTo: server.configuration.maxBodyBytes)
        return try ExecuteRequest.inputs(body: body, contentType: request.headers[.contentType], for: flow.definition)
    }

    func execute(_ request: Request, context: some RequestContext) async throws -> Response {
        let flow = try server.flow(context)
        let wait = try QueryParameter.boolean("wait", in: request, default: true)
        // The body is checked before readiness, as the original's typed request model did.
        let inputs = try await readInputs(request, flow: flow, context: context)
        let readiness = flow.readiness
        guard readiness.isReady else {
            return Response.json(Self.notReady(flow, readiness), status: .serviceUnavailable)
        }
        let respondAsync =
            !wait || (request.headers[.prefer]?.lowercased().contains("respond-async") ?? false)
        let executions = server.executions
        if let key = try IdempotencyKeyHeader.value(of: request) {
            switch try await reserve(flow, inputs: inputs, mode: respondAsync ? .async : .sync, key: key) {
            case .existing(let record) where respondAsync:
                return Self.accepted(record, flow: flow, replayed: true)
            case .existing(let record):
                let finished = await executions.finished(record)
                if finished.status == .running { return Self.accepted(finished, flow: flow, replayed: true) }
                return Self.completed(finished, replayed: true)
            case .new(let record) where respondAsync:
                return Self.accepted(await executions.start(created: record, flow: flow), flow: flow)
            case .unrecorded(let record) where respondAsync:
                throw APIError.notRecorded(ExecutionNotRecorded(executionId: record.id))
            case .new(let record), .unrecorded(let record):
                return Self.completed(await executions.execute(reserved: record, flow: flow))
            }
        }
        if respondAsync {
            do {
                return Self.accepted(try await executions.start(flow, inputs: inputs, mode: .async), flow: flow)
            } catch {
                throw APIError.notRecorded(error)
            }
        }
        return Self.completed(await executions.execute(flow, inputs: inputs, mode: .sync))
    }

    /// The execution the request's `Idempotency-Key` names, or a new stored one; 422 for other inputs.
    private func reserve(
        _ flow: ServedFlow,
        inputs: OrderedDictionary<String, FlowValue>,
        mode: ExecutionRecord.Mode,
        key: String,
        id: ExecutionID? = nil
    ) async throws -> ExecutionService.Reservation {
        do {
            return try await server.executions.reserve(flow, inputs: inputs, mode: mode, idempotencyKey: key, id: id)
        } catch {
            throw APIError.envelope(.unprocessableContent, error.description)
        }
    }

    /// 202 for a running execution: where to follow it.
    static func accepted(_ record: ExecutionRecord, flow: ServedFlow, replayed: Bool = false) -> Response {
        let location = "\(flow.path)/executions/\(record.id)"
        var headers = HTTPFields()
        headers[.location] = location
        headers[.executionId] = record.id.rawValue
        if replayed { headers[.idempotentReplayed] = "true" }
        return Response.json(
            [
                "success": true, "execution_id": .string(record.id.rawValue), "status": .string(record.status.rawValue),
                "flow": .string(flow.name), "status_url": .string(location),
                "events_url": .string(location + "/events"),
            ],
            status: .accepted,
            headers: headers
        )
    }

    /// 200 with a finished execution's result.
    static func completed(_ record: ExecutionRecord, replayed: Bool = false) -> Response {
        var headers = HTTPFields()
        headers[.executionId] = record.id.rawValue
        if replayed { headers[.idempotentReplayed] = "true" }
        return Response.json(Self.body(for: record), headers: headers)
    }

    /// The original's execute response, every key present, plus the execution id and the failure details.
    static func body(for record: ExecutionRecord) -> FlowValue {
        let result = record.result
        let failure = result?.failure
        var fields = OrderedDictionary<String, FlowValue>()
        fields["success"] = .bool(result?.isSuccess ?? false)
        fields["outputs"] = result.flatMap { $0.isSuccess ? FlowValue.object($0.outputs) : nil } ?? .null
        switch result?.status {
        case .failed?: fields["error"] = .string(failure?.message ?? "")
        case .cancelled?: fields["error"] = .string(result?.reason ?? "Execution cancelled")
        default: fields["error"] = .null
        }
        fields["error_details"] = .null
        fields["execution_time_ms"] =
            result.map { .double(($0.duration.inMilliseconds * 1000).rounded() / 1000) } ?? .null
        fields["flow"] = .string(record.flowName)
        fields["pending_tasks"] = .null
        fields["implementation_progress"] = .null
        fields["execution_id"] = .string(record.id.rawValue)
        fields["terminated"] = .bool(result?.status == .terminated)
        fields["termination_reason"] =
            result?.status == .terminated ? result?.reason.map(FlowValue.string) ?? .null : .null
        fields["error_type"] =
            failure.map { .string($0.type) } ?? (result?.status == .cancelled ? "ExecutionCancelled" : .null)
        fields["failed_step"] = failure?.failedStep.map(FlowValue.string) ?? .null
        if result?.status == .cancelled {
            fields["cancelled"] = true
            fields["cleanup_errors"] =
                result?.cleanupErrors.isEmpty == false
                ? .array(result?.cleanupErrors.map(FlowValue.string) ?? []) : .null
        }
        return .object(fields)
    }

    static func notReady(_ flow: ServedFlow, _ readiness: Readiness) -> FlowValue {
        [
            "success": false, "outputs": .null, "error": "Flow not ready for execution",
            "error_details": .string("\(readiness.pending.count) of \(readiness.total) tasks are not yet implemented"),
            "execution_time_ms": .null, "flow": .string(flow.name),
            "pending_tasks": .array(readiness.pending.map(FlowValue.string)),
            "implementation_progress": .string("\(readiness.progress) (\(readiness.percentageText))"),
        ]
    }

    func stream(_ request: Request, context: some RequestContext) async throws -> Response {
        let flow = try server.flow(context)
        let inputs = try await readInputs(request, flow: flow, context: context)
        let readiness = flow.readiness
        guard readiness.isReady else {
            var data = Self.notReady(flow, readiness).objectValue ?? [:]
            data["outputs"] = nil
            data["execution_time_ms"] = nil
            return Response(
                status: .serviceUnavailable,
                headers: ServerSentEvents.headers,
                body: ResponseBody(byteBuffer: ServerSentEvents.frame(name: "error", data: .object(data)))
            )
        }
        let id = ExecutionID.next()
        let executions = server.executions
        var reserved: ExecutionRecord?
        if let key = try IdempotencyKeyHeader.value(of: request) {
            switch try await reserve(flow, inputs: inputs, mode: .stream, key: key, id: id) {
            case .existing(let record):
                var response = try await ExecutionsController.events(of: record, server: server)
                response.headers[.executionId] = record.id.rawValue
                response.headers[.idempotentReplayed] = "true"
                return response
            case .new(let record), .unrecorded(let record): reserved = record
            }
        }
        // The run happens in the response body, after the request's scope: it takes the request's permit along.
        let permit = ExecutionPermit.current?.claim()
        let reservedRecord = reserved
        var headers = ServerSentEvents.headers
        headers[.executionId] = id.rawValue
        let body = ServerSentEvents.body(
            pingInterval: server.configuration.pingInterval,
            clock: server.clock,
            onDisconnect: { _ = executions.live.cancel(id: id, reason: "Client disconnected") },
            source: { frames in
                let observer = ClosureObserver { event in frames.send(ServerSentEvents.frame(event)) }
                _ = await ExecutionPermit.$current.withValue(permit) {
                    if let reservedRecord {
                        await executions.execute(reserved: reservedRecord, flow: flow, extraObservers: [observer])
                    } else {
                        await executions.execute(
                            flow, inputs: inputs, mode: .stream, id: id, extraObservers: [observer])
                    }
                }
            }
        )
        return Response(status: .ok, headers: headers, body: body)
    }
}

extension HTTPField.Name {
    static let executionId = HTTPField.Name("X-Execution-Id")!
    static let prefer = HTTPField.Name("Prefer")!
    /// Set on an answer that repeats the execution an `Idempotency-Key` already named.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
