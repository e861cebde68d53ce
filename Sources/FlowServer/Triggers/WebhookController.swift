import FlowCore
import Foundation
import HTTPTypes
import Hummingbird
import OrderedCollections

/// The routes of every flow's webhook triggers, added when the application is built.
///
/// A request is authenticated (401), checked for readiness (503), turned into inputs and validated (422),
/// then runs the flow: synchronously, answered 200 or 500 in the original's shape, or in the background,
/// answered 202 with the execution id.
struct WebhookController {
    let server: ServerContext
    let triggers: TriggerRegistry

    private var runner: TriggerRunner {
        TriggerRunner(registry: triggers, catalog: server.catalog, executions: server.executions)
    }

    /// Adds a route per webhook; one whose path and method a built-in route already answers is disabled.
    ///
    /// Unlike the other controllers it adds its routes to the router itself, not as a `RouteCollection`: which
    /// webhooks it adds depends on the routes the router already has.
    func register(on router: Router<some RequestContext>) {
        for webhook in triggers.activeWebhooks {
            let trigger = webhook.trigger
            let probe = WebhookRoute.collisionProbe(trigger.path)
            if RouteListing.methods(of: RouteListing.routes(of: router), matching: probe).contains(trigger.method) {
                triggers.disable(
                    webhook.key,
                    reason:
                        "path: \(trigger.method.rawValue) \(trigger.path) is a built-in route of the server; this webhook is skipped"
                )
                continue
            }
            router.on(RouterPath(trigger.path), method: trigger.method) { request, context in
                try await handle(webhook, request: request, context: context)
            }
            triggers.setRunning(webhook.key, true)
        }
    }

    private func handle(_ webhook: TriggerRegistry.ActiveWebhook, request: Request, context: some RequestContext)
        async throws
        -> Response
    {
        let mode: FlowValue = webhook.trigger.isAsync ? "async" : "sync"
        guard let flow = server.catalog.flow(named: webhook.key.flow) else {
            throw APIError.envelope(.notFound, server.catalog.notFoundMessage(for: webhook.key.flow))
        }
        let authentication = try webhook.auth?.authenticate(request.headers)
        let readiness = flow.readiness
        guard readiness.isReady else {
            var body = ExecuteController.notReady(flow, readiness).objectValue ?? [:]
            body["execution"] = mode
            return Response.json(.object(body), status: .serviceUnavailable)
        }
        return try await server.admission.admitted(queueable: webhook.trigger.isAsync) {
            try await run(
                webhook, flow: flow, request: request, context: context, authentication: authentication, mode: mode)
        }
    }

    /// Reads the webhook's inputs and runs or starts its flow; counted against the concurrent-execution limit.
    private func run(
        _ webhook: TriggerRegistry.ActiveWebhook,
        flow: ServedFlow,
        request: Request,
        context: some RequestContext,
        authentication: FlowValue?,
        mode: FlowValue
    ) async throws -> Response {
        var request = request
        let bytes = try await request.collectBody(upTo: server.configuration.maxBodyBytes)
        var inputs: OrderedDictionary<String, FlowValue>
        do {
            inputs = try WebhookInputs.extract(
                webhook.trigger.inputMapping,
                from: Self.parts(
                    of: request, body: bytes, parameters: context.parameters, hiding: webhook.auth?.headerName)
            )
            inputs["_webhook"] = [
                "method": .string(request.method.rawValue), "path": .string(request.uri.path),
                "trigger_id": .string(webhook.key.id),
            ]
            if let authentication { inputs["_auth"] = authentication }
            inputs = try InputValidator.validate(inputs, for: flow.definition)
        } catch let problem as WebhookInputs.Problem {
            return inputProblem(problem.message, webhook: webhook, mode: mode)
        } catch let problem as InputValidationError {
            return inputProblem(problem.description, webhook: webhook, mode: mode)
        }
        if let key = try IdempotencyKeyHeader.value(of: request) {
            return try await runOnce(webhook, flow: flow, inputs: inputs, key: key, mode: mode)
        }
        if webhook.trigger.isAsync {
            let triggers = triggers
            do {
                let started = try await server.executions.start(flow, inputs: inputs, mode: .webhook) { record in
                    triggers.recordFinished(webhook.key, record)
                }
                return accepted(started, flow: flow)
            } catch {
                throw APIError.notRecorded(error)
            }
        }
        let record = await runner.run(webhook.key, flow: flow, inputs: inputs, mode: .webhook)
        return completed(record, flow: flow, mode: mode)
    }

    /// Runs the webhook's flow once per `Idempotency-Key`: a request repeating a key gets the execution the
    /// first one started (its result, or its 202 while it runs) with `Idempotent-Replayed: true`; the key with
    /// other inputs is a 422.
    private func runOnce(
        _ webhook: TriggerRegistry.ActiveWebhook,
        flow: ServedFlow,
        inputs: OrderedDictionary<String, FlowValue>,
        key: String,
        mode: FlowValue
    ) async throws -> Response {
        let executions = server.executions
        let reservation: ExecutionService.Reservation
        do {
            reservation = try await executions.reserve(flow, inputs: inputs, mode: .webhook, idempotencyKey: key)
        } catch {
            return inputProblem(error.description, webhook: webhook, mode: mode)
        }
        let triggers = triggers
        switch reservation {
        case .existing(let record) where webhook.trigger.isAsync:
            return accepted(record, flow: flow, replayed: true)
        case .existing(let record):
            let finished = await executions.finished(record)
            if finished.status == .running { return accepted(finished, flow: flow, replayed: true) }
            return completed(finished, flow: flow, mode: mode, replayed: true)
        case .new(let record) where webhook.trigger.isAsync:
            let started = await executions.start(created: record, flow: flow) {
                triggers.recordFinished(webhook.key, $0)
            }
            return accepted(started, flow: flow)
        case .unrecorded(let record) where webhook.trigger.isAsync:
            throw APIError.notRecorded(ExecutionNotRecorded(executionId: record.id))
        case .new(let record), .unrecorded(let record):
            let finished = await executions.execute(reserved: record, flow: flow)
            triggers.recordFinished(webhook.key, finished)
            return completed(finished, flow: flow, mode: mode)
        }
    }

    /// The synchronous webhook answer: the run's outputs, or its error with a 500.
    private func completed(_ record: ExecutionRecord, flow: ServedFlow, mode: FlowValue, replayed: Bool = false)
        -> Response
    {
        let result = record.result
        let succeeded = result?.isSuccess ?? false
        let error: FlowValue =
            switch result?.status {
            case .failed?: .string(result?.failure?.message ?? "Execution failed")
            case .cancelled?: .string(result?.reason ?? "Execution cancelled")
            case nil: "Execution did not finish"
            default: .null
            }
        var headers = HTTPFields()
        headers[.executionId] = record.id.rawValue
        if replayed { headers[.idempotentReplayed] = "true" }
        return Response.json(
            [
                "success": .bool(succeeded), "outputs": succeeded ? .object(result?.outputs ?? [:]) : .null,
                "error": error,
                "flow": .string(flow.name), "execution": mode,
            ],
            status: succeeded ? .ok : .internalServerError,
            headers: headers
        )
    }

    /// The asynchronous webhook answer, 202, for a run already stored (it counts against the concurrent-execution
    /// limit from before the answer, so the status URL works at once).
    private func accepted(_ record: ExecutionRecord, flow: ServedFlow, replayed: Bool = false) -> Response {
        let id = record.id
        let location = "/flows/\(flow.name)/executions/\(id)"
        var headers = HTTPFields()
        headers[.location] = location
        headers[.executionId] = id.rawValue
        if replayed { headers[.idempotentReplayed] = "true" }
        return Response.json(
            [
                "success": true, "message": .string("Flow \(flow.name) triggered successfully"),
                "flow": .string(flow.name),
                "execution": "async", "execution_id": .string(id.rawValue), "status_url": .string(location),
            ],
            status: .accepted,
            headers: headers
        )
    }

    private func inputProblem(_ message: String, webhook: TriggerRegistry.ActiveWebhook, mode: FlowValue) -> Response {
        triggers.recordRejected(webhook.key, reason: message)
        return Response.json(
            [
                "success": false, "outputs": .null, "error": .string(message), "flow": .string(webhook.key.flow),
                "execution": mode,
            ],
            status: .unprocessableContent
        )
    }

    /// The request's parts for input mapping; the credential header is left out so it never reaches records.
    static func parts(
        of request: Request, body: ByteBuffer, parameters: Parameters, hiding secretHeader: HTTPField.Name?
    )
        -> WebhookRequestParts
    {
        var query = OrderedDictionary<String, FlowValue>()
        for (key, value) in request.uri.queryParameters where query[String(key)] == nil {
            query[String(key)] = .string(String(value))
        }
        var headers = OrderedDictionary<String, FlowValue>()
        for field in request.headers where field.name != secretHeader {
            let name = field.name.canonicalName
            headers[name] = .string(headers[name]?.stringValue.map { $0 + ", " + field.value } ?? field.value)
        }
        var path = OrderedDictionary<String, FlowValue>()
        for (key, value) in parameters { path[String(key)] = .string(String(value)) }
        return WebhookRequestParts(body: String(buffer: body), query: query, headers: headers, path: path)
    }
}
