/// When a circuit breaker opens, how long it stays open and how it tests the water again.
///
/// ```swift
/// // open after 5 failures in a row, stay open 30 s, then let 2 trial calls through
/// let configuration = CircuitBreakerConfiguration(
///     failureThreshold: .consecutive(5), openDuration: .seconds(30), halfOpenTrialCalls: 2
/// )
/// ```
///
/// Values out of range are clamped: thresholds, windows and trial calls to at least 1, the rate to 0...1,
/// the open duration to at least zero.
public struct CircuitBreakerConfiguration: Sendable {
    /// What trips a closed breaker.
    public enum FailureThreshold: Sendable, Equatable {
        /// This many failures in a row; a success resets the count.
        case consecutive(Int)
        /// At least this fraction of failures among the last `window` calls, once `minimumCalls` were seen.
        case rate(Double, window: Int, minimumCalls: Int)
    }

    public var failureThreshold: FailureThreshold
    /// How long an open breaker rejects calls before it lets trial calls through.
    public var openDuration: Duration
    /// How many trial calls may run at once when half-open; this many successes close the breaker.
    public var halfOpenTrialCalls: Int
    /// Which errors count as a failure of the dependency; the others count as successes, because the
    /// dependency answered (a declined card is the card's problem, not the gateway's). By default every
    /// error counts. `CancellationError` is never counted either way.
    public var isFailure: @Sendable (any Error) -> Bool

    public init(
        failureThreshold: FailureThreshold = .consecutive(5),
        openDuration: Duration = .seconds(30),
        halfOpenTrialCalls: Int = 1,
        isFailure: @escaping @Sendable (any Error) -> Bool = { _ in true }
    ) {
        switch failureThreshold {
        case .consecutive(let count):
            self.failureThreshold = .consecutive(max(1, count))
        case .rate(let rate, let window, let minimumCalls):
            let window = max(1, window)
            self.failureThreshold = .rate(
                min(1, max(0, rate)), window: window, minimumCalls: min(window, max(1, minimumCalls)))
        }
        self.openDuration = max(.zero, openDuration)
        self.halfOpenTrialCalls = max(1, halfOpenTrialCalls)
        self.isFailure = isFailure
    }
}
