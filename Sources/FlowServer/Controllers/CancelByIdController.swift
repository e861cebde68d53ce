import FlowCore
import Hummingbird
import OrderedCollections

/// `POST /flows/{flow}/cancel` with `{"execution_id": …}` (or `?execution_id=…`): the walkthrough's cancel
/// (§11 "Handling Cancellations"), beside `POST /flows/{flow}/executions/{id}/cancel`.
///
/// Answers `{"message": "Flow cancellation requested", "execution_id", "cleanup_handlers"}` (plus `success`
/// and `flow`) when the run was cancelled; `cleanup_handlers` is `running` when the flow has `on_cancel`
/// steps and `none` otherwise. A run that already ended answers `success: false` with its status, an unknown
/// id 404, and a body without `execution_id` 422.
struct CancelByIdController {
    let server: ServerContext

    /// `POST /flows/{flow}/cancel`, added under each of ``FlowRoutes/prefixes(_:)``.
    var routes: RouteCollection<FlowRequestContext> {
        RouteCollection(context: FlowRequestContext.self).post("/flows/:flow/cancel") { request, context in
            try await cancel(request, context: context)
        }
    }

    private func cancel(_ request: Request, context: some RequestContext) async throws -> Response {
        let flow = try server.flow(context)
        let id = ExecutionID(rawValue: try await executionId(request))
        guard let record = try await server.executions.store.record(id: id), record.flowName == flow.name,
            flow.version == nil || record.flowVersion == flow.version
        else {
            throw APIError.envelope(.notFound, "Execution not found: \(id)")
        }
        if record.status == .running, await server.executions.cancel(id: id, reason: "Cancelled by user request") {
            return Response.json([
                "success": true, "message": "Flow cancellation requested", "execution_id": .string(id.rawValue),
                "flow": .string(flow.name), "cleanup_handlers": flow.definition.onCancel.isEmpty ? "none" : "running",
            ])
        }
        let current = try await server.executions.store.record(id: id) ?? record
        return Response.json([
            "success": false, "message": .string("Execution already \(current.status.rawValue)"),
            "execution_id": .string(id.rawValue), "status": .string(current.status.rawValue),
        ])
    }

    /// The id from the query, else from the body. A body, when sent, must be what the document says even when
    /// the query names the execution: a JSON object whose `execution_id`, if present, is a non-empty string.
    private func executionId(_ request: Request) async throws -> String {
        let query = request.uri.queryParameters.get("execution_id").map { String($0) }
        if query?.isEmpty == true {
            throw APIError.validation([
                ValidationProblem(
                    type: "string_too_short", location: ["query", "execution_id"],
                    message: "String should have at least 1 character", input: ""
                )
            ])
        }
        var request = request
        let body = try await request.collectBody(upTo: server.configuration.maxBodyBytes)
        let text = String(decoding: body.readableBytesView, as: UTF8.self)
        let (document, members) = try ExecuteRequest.jsonObject(text.allSatisfy(\.isWhitespace) ? "{}" : text)
        switch (members["execution_id"], query) {
        case (.string(let id)?, _) where !id.isEmpty:
            return query ?? id
        case (.none, let query?):
            return query
        case (.none, nil), (.null?, _):
            throw APIError.validation([
                ValidationProblem(
                    type: "missing", location: ["body", "execution_id"], message: "Field required", input: document)
            ])
        case (let other?, _):
            throw APIError.validation([
                ValidationProblem(
                    type: "string_type", location: ["body", "execution_id"],
                    message: "Input should be a non-empty string",
                    input: other
                )
            ])
        }
    }
}
