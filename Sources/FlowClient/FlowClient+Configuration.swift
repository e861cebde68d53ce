extension FlowClient {
    /// How a client sends its requests: timeout, retries, extra headers and response size.
    public struct Configuration: Sendable {
        /// How long a request may wait for the server's answer, on the client's clock; `nil` waits as long as it takes.
        ///
        /// `execute` waits for the whole run (the server answers when the flow has ended); a stream or `result()`
        /// waits only until its event stream opens, then as long as the run lasts.
        public var timeout: Duration?
        /// When requests are tried again.
        public var retry: RetryPolicy
        /// Headers sent with every request, e.g. a tracing or tenant header.
        public var headers: [String: String]
        /// The largest JSON answer read, in bytes; a larger one fails with ``FlowClientError/invalidResponse(_:)``.
        public var maxResponseBytes: Int

        public init(
            timeout: Duration? = .seconds(30),
            retry: RetryPolicy = RetryPolicy(),
            headers: [String: String] = [:],
            maxResponseBytes: Int = 16 << 20
        ) {
            self.timeout = timeout
            self.retry = retry
            self.headers = headers
            self.maxResponseBytes = maxResponseBytes
        }
    }

    /// When a request is tried again, and how long the client waits first.
    ///
    /// Only answers that say "not now" are retried: 429 (rate limited), 503 without `pending_tasks` (the server's
    /// limit on concurrent executions, a shutdown) and failures to connect; also a connection lost mid-request
    /// when the request is safe to repeat (a `GET`, or a request with an `Idempotency-Key`). A flow that ran and
    /// failed, invalid inputs, an unknown flow and a flow that is not ready are never retried.
    ///
    /// The wait before attempt *n + 1* is the server's `Retry-After` (whole seconds) when it sends one, else
    /// `initialDelay × multiplier^(n − 1)`, at most `maxDelay`. When `Retry-After` asks for more than `maxDelay`
    /// the client gives up at once with the error.
    public struct RetryPolicy: Sendable, Equatable {
        /// How many times a request is sent at most, the first included; 1 never retries.
        public var maxAttempts: Int
        /// The wait after the first failed attempt.
        public var initialDelay: Duration
        /// The factor each further wait grows by.
        public var multiplier: Double
        /// The longest wait.
        public var maxDelay: Duration

        public init(
            maxAttempts: Int = 3,
            initialDelay: Duration = .seconds(1),
            multiplier: Double = 2,
            maxDelay: Duration = .seconds(60)
        ) {
            self.maxAttempts = max(1, maxAttempts)
            self.initialDelay = initialDelay
            self.multiplier = multiplier
            self.maxDelay = maxDelay
        }

        /// Never retries.
        public static let never = RetryPolicy(maxAttempts: 1)

        /// The backoff after failed attempt number `attempt` (1-based), without a `Retry-After`.
        func delay(afterAttempt attempt: Int) -> Duration {
            var delay = initialDelay
            for _ in 1..<max(1, attempt) where delay < maxDelay {
                delay = delay * multiplier
            }
            return min(delay, maxDelay)
        }
    }
}
