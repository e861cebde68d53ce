import Hummingbird
import Logging

/// Names the execution an execute request will start before the request is logged, so the request's log line
/// and every line logged while it is answered carry `execution_id`; the execution then takes that id
/// (``ExecutionID/assigned``) and the answer's `X-Execution-Id` header repeats it.
struct ExecutionIDMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .post, ExecutionLimitMiddleware<Context>.startsExecution(request.uri.path) else {
            return try await next(request, context)
        }
        let id = ExecutionID.random()
        var context = context
        context.logger[metadataKey: "execution_id"] = .string(id)
        return try await ExecutionID.$assigned.withValue(id) { try await next(request, context) }
    }
}
