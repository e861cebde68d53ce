import FlowCore
import HTTPTypes
import Hummingbird
import Synchronization

/// Refuses requests that would start an execution once `limit` executions are running, with 503 and
/// `Retry-After: 1`, rather than queueing them: a refused client can retry or go to another replica at
/// once, and a queue would hold connections and memory exactly when the server is busiest.
///
/// Execution requests in flight are counted under a lock, so a burst of synchronous or streaming
/// requests never exceeds the limit; asynchronous and trigger executions already running (the service's
/// running count) are refused against too.
struct ExecutionLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int
    let executions: ExecutionService
    let inFlight: InFlightCounter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .post, Self.startsExecution(request.uri.path) else { return try await next(request, context) }
        let running = executions.runningCount
        guard inFlight.enter(limit: limit, alsoRunning: running) else {
            var error = APIError.envelope(
                .serviceUnavailable,
                "Too many executions running (limit \(limit)); retry shortly"
            )
            error.headers[.retryAfter] = "1"
            throw error
        }
        defer { inFlight.leave() }
        return try await next(request, context)
    }

    /// `/flows/{flow}/execute` and `/flows/{flow}/execute/stream`.
    static func startsExecution(_ path: String) -> Bool {
        let segments = path.split(separator: "/")
        return segments.count >= 3 && segments[0] == "flows" && segments[2] == "execute"
            && (segments.count == 3 || (segments.count == 4 && segments[3] == "stream"))
    }
}

/// Execution requests being answered now.
final class InFlightCounter: Sendable {
    private let count = Mutex(0)

    /// Counts one more request unless `limit` requests, or `alsoRunning` executions, are already there.
    func enter(limit: Int, alsoRunning: Int) -> Bool {
        count.withLock { count in
            guard count < limit, alsoRunning < limit else { return false }
            count += 1
            return true
        }
    }

    func leave() {
        count.withLock { $0 -= 1 }
    }

    var current: Int { count.withLock { $0 } }
}
