import FlowCore
import HTTPTypes
import Hummingbird

/// Limits each client's request rate, answering 429 with `Retry-After` (whole seconds) once its bucket is
/// empty; every answer carries `X-RateLimit-Limit` and `X-RateLimit-Remaining`.
///
/// A client is its API key when it presents one of the server's keys, otherwise its remote address, so
/// a client that floods (or guesses keys) only empties its own bucket. The health probes are not limited.
struct RateLimitMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let limiter: RateLimiter
    let keys: APIKeySet

    static var limitHeader: HTTPField.Name { HTTPField.Name("X-RateLimit-Limit")! }
    static var remainingHeader: HTTPField.Name { HTTPField.Name("X-RateLimit-Remaining")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if PublicRoutes.probePaths.contains(request.uri.path) { return try await next(request, context) }
        let decision = limiter.take(client: client(of: request, context: context))
        guard decision.isAllowed else {
            let seconds = max(1, Int((decision.retryAfter / .seconds(1)).rounded(.up)))
            var error = APIError.envelope(
                .tooManyRequests, "Too many requests; retry after \(seconds) second\(seconds == 1 ? "" : "s")")
            error.headers[.retryAfter] = String(seconds)
            addHeaders(&error.headers, decision)
            throw error
        }
        do {
            var response = try await next(request, context)
            addHeaders(&response.headers, decision)
            return response
        } catch var error as APIError {
            addHeaders(&error.headers, decision)
            throw error
        }
    }

    private func addHeaders(_ headers: inout HTTPFields, _ decision: RateLimiter.Decision) {
        headers[Self.limitHeader] = String(limiter.limit.burst)
        headers[Self.remainingHeader] = String(decision.remaining)
    }

    /// `key:<index>` for a valid API key, else `address:<ip>`.
    private func client(of request: Request, context: Context) -> String {
        if !keys.isEmpty, case .presented(let key) = APICredential(request.headers), let index = keys.match(key) {
            return "key:\(index)"
        }
        return "address:\(context.remoteAddress?.ipAddress ?? "unknown")"
    }
}
