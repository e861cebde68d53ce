import Hummingbird

/// Applies ``ExecutionAdmission`` to the routes it is added to: the execute routes, `POST /flows/{flow}/execute`
/// and `…/execute/stream` (``ExecuteController/routes``). Webhooks apply it themselves, since their paths are the
/// user's.
struct ExecutionLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let admission: ExecutionAdmission
    /// Whether a request whose client does not wait for the execution's result (`?wait=false`, or
    /// `Prefer: respond-async`) may be queued rather than refused (``ExecutionAdmission/admitted(queueable:_:)``):
    /// true for the execute route, false for the stream, whose client always waits.
    let queuesAsynchronous: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let queueable = queuesAsynchronous && Self.respondsAsync(request)
        return try await admission.admitted(queueable: queueable) { try await next(request, context) }
    }

    /// Whether the client does not wait for the execution's result: `wait=false` or `Prefer: respond-async`.
    static func respondsAsync(_ request: Request) -> Bool {
        if (try? QueryParameter.boolean("wait", in: request, default: true)) == false { return true }
        return request.headers[.prefer]?.lowercased().contains("respond-async") ?? false
    }
}
