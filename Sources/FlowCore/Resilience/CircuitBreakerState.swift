/// Where a circuit breaker stands.
///
/// - `closed`: calls go through and their failures are counted.
/// - `open`: calls are rejected at once with ``CircuitOpenError`` until the open duration has passed.
/// - `halfOpen`: a few trial calls go through; their successes close the breaker, a failure opens it again.
public enum CircuitBreakerState: String, Sendable, Hashable, CustomStringConvertible {
    case closed
    case open
    case halfOpen = "half_open"

    /// The value of the `flowlang_circuit_breaker_state` gauge: 0 closed, 1 half-open, 2 open.
    public var gaugeValue: Int {
        switch self {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
    }

    public var description: String { rawValue }
}

/// A breaker moved from one state to another.
public struct CircuitBreakerTransition: Sendable, Hashable, CustomStringConvertible {
    /// The breaker's name.
    public var breaker: String
    public var from: CircuitBreakerState
    public var to: CircuitBreakerState

    public init(breaker: String, from: CircuitBreakerState, to: CircuitBreakerState) {
        self.breaker = breaker
        self.from = from
        self.to = to
    }

    public var description: String { "\(breaker): \(from) -> \(to)" }
}
