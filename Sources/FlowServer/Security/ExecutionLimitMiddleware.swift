import Hummingbird

/// Applies ``ExecutionAdmission`` to the routes that start executions: `POST /flows/{flow}/execute` and
/// `…/execute/stream`, with or without a version prefix (`/v2/flows/…`). Webhooks apply it themselves, since
/// their paths are the user's. An asynchronous execute (`?wait=false`, or `Prefer: respond-async`) may be
/// queued rather than refused (``ExecutionAdmission/admitted(queueable:_:)``).
struct ExecutionLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let admission: ExecutionAdmission

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .post, Self.startsExecution(request.uri.path) else {
            return try await next(request, context)
        }
        return try await admission.admitted(queueable: Self.respondsAsync(request)) { try await next(request, context) }
    }

    /// Whether the client does not wait for the execution's result: an execute (not a stream) with `wait=false`
    /// or `Prefer: respond-async`.
    static func respondsAsync(_ request: Request) -> Bool {
        guard !request.uri.path.hasSuffix("/stream") else { return false }
        if (try? QueryParameter.boolean("wait", in: request, default: true)) == false { return true }
        return request.headers[.prefer]?.lowercased().contains("respond-async") ?? false
    }

    /// `/flows/{flow}/execute` and `/flows/{flow}/execute/stream`, optionally under `/v{N}`.
    static func startsExecution(_ path: String) -> Bool {
        var segments = path.split(separator: "/")[...]
        if let first = segments.first, first.count > 1, first.first == "v", first.dropFirst().allSatisfy(\.isNumber) {
            segments = segments.dropFirst()
        }
        return segments.count >= 3 && segments[segments.startIndex] == "flows"
            && segments[segments.startIndex + 2] == "execute"
            && (segments.count == 3 || (segments.count == 4 && segments[segments.startIndex + 3] == "stream"))
    }
}
