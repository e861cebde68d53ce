import HTTPTypes
import Synchronization

/// `MAX_CONCURRENT_EXECUTIONS`: decides whether a request may start an execution, for execute routes (through
/// ``ExecutionLimitMiddleware``) and webhooks alike.
///
/// Beyond the limit a request is refused with 503 and `Retry-After: 1` rather than queued: a refused client can
/// retry or go to another replica at once, and a queue would hold connections and memory exactly when the
/// server is busiest. Requests being answered are counted under a lock, so a burst never exceeds the limit;
/// executions already running (asynchronous ones, triggers) count too. Without a limit everything is admitted.
final class ExecutionAdmission: Sendable {
    let limit: Int?
    private let executions: ExecutionService
    private let inFlight = Mutex(0)

    init(limit: Int?, executions: ExecutionService) {
        self.limit = limit
        self.executions = executions
    }

    /// Runs `body` counted as one execution request, or throws the 503 answer when the limit is reached.
    func admitted<Result>(_ body: () async throws -> Result) async throws -> Result {
        guard let limit else { return try await body() }
        let running = executions.runningCount
        let entered = inFlight.withLock { count in
            guard count < limit, running < limit else { return false }
            count += 1
            return true
        }
        guard entered else {
            var error = APIError.envelope(.serviceUnavailable, "Too many executions running (limit \(limit)); retry shortly")
            error.headers[.retryAfter] = "1"
            throw error
        }
        defer { inFlight.withLock { $0 -= 1 } }
        return try await body()
    }
}
