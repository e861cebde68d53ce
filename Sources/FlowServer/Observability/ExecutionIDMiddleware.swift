import FlowCore
import Hummingbird
import Logging

/// Names the execution an execute request will start before the request is logged, so the request's log line
/// and every line logged while it is answered carry `execution_id`; the execution then takes that id
/// (``ExecutionID/assigned``) and the answer's `X-Execution-Id` header repeats it.
///
/// It runs before the request log, for every route, and knows an execute request by the route the router
/// matched (`endpoints`: ``ExecuteController/executePath`` and ``ExecuteController/streamPath`` under each
/// prefix).
struct ExecutionIDMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The router's spelling (`/{version}/flows/{flow}/execute`) of the routes that start executions.
    let endpoints: Set<String>

    init(prefixes: [String]) {
        endpoints = Set(
            prefixes.flatMap { prefix in
                [ExecuteController.executePath, ExecuteController.streamPath].map {
                    RouterPath(prefix).appendingPath($0).description
                }
            }
        )
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .post, let endpoint = context.endpointPath, endpoints.contains(endpoint) else {
            return try await next(request, context)
        }
        let id = ExecutionID.random()
        var context = context
        context.logger[metadataKey: "execution_id"] = .string(id.rawValue)
        return try await ExecutionID.$assigned.withValue(id) { try await next(request, context) }
    }
}
