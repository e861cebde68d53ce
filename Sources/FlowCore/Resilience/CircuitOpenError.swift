/// A call was rejected because its circuit breaker is open (or half-open with every trial slot taken).
public struct CircuitOpenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The breaker's name.
    public var breaker: String
    /// `open`, or `halfOpen` when the trial calls are still running.
    public var state: CircuitBreakerState
    /// How long until the breaker lets a trial call through; nil when trial calls are running now.
    public var retryAfter: Duration?

    public init(breaker: String, state: CircuitBreakerState, retryAfter: Duration?) {
        self.breaker = breaker
        self.state = state
        self.retryAfter = retryAfter
    }

    public var description: String {
        guard let retryAfter else {
            return "circuit breaker '\(breaker)' is half-open and its trial calls are still running; retry shortly"
        }
        return "circuit breaker '\(breaker)' is open; calls are rejected for another \(Self.seconds(retryAfter))"
    }

    /// `12.5 s`: seconds with one decimal, rounded up so a caller never retries too early.
    static func seconds(_ duration: Duration) -> String {
        let tenths = Int((duration / .milliseconds(100)).rounded(.up))
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
