import Hummingbird

/// Applies ``ExecutionAdmission`` to the routes that start executions: `POST /flows/{flow}/execute` and
/// `…/execute/stream`, with or without a version prefix (`/v2/flows/…`). Webhooks apply it themselves, since
/// their paths are the user's.
struct ExecutionLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let admission: ExecutionAdmission

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .post, Self.startsExecution(request.uri.path) else { return try await next(request, context) }
        return try await admission.admitted { try await next(request, context) }
    }

    /// `/flows/{flow}/execute` and `/flows/{flow}/execute/stream`, optionally under `/v{N}`.
    static func startsExecution(_ path: String) -> Bool {
        var segments = path.split(separator: "/")[...]
        if let first = segments.first, first.count > 1, first.first == "v", first.dropFirst().allSatisfy(\.isNumber) {
            segments = segments.dropFirst()
        }
        return segments.count >= 3 && segments[segments.startIndex] == "flows" && segments[segments.startIndex + 2] == "execute"
            && (segments.count == 3 || (segments.count == 4 && segments[segments.startIndex + 3] == "stream"))
    }
}
