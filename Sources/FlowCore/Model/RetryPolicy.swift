/// How a failed task attempt is retried.
public struct RetryPolicy: Sendable, Equatable {
    /// How the delay before each retry grows.
    public enum Strategy: Sendable, Equatable {
        /// `base × multiplier^k` before retry k+1 (the original's numeric `backoff` is base with multiplier 2).
        case exponential(base: Double, multiplier: Double)
        /// The same delay before every retry.
        case fixed(Double)
        /// `base × (k + 1)` before retry k+1.
        case linear(base: Double)
    }

    /// Total attempts, the first included; at least 1.
    public var maxAttempts: Int
    public var strategy: Strategy
    /// Upper bound for one delay, in seconds.
    public var maxDelaySeconds: Double?
    /// Fraction (0...1) of each delay that is randomised away.
    public var jitter: Double
    /// Only errors of these types are retried, when given.
    public var retryOn: Set<String>?
    /// Errors of these types are never retried.
    public var noRetryOn: Set<String>

    public init(
        maxAttempts: Int,
        strategy: Strategy = .exponential(base: 1, multiplier: 2),
        maxDelaySeconds: Double? = nil,
        jitter: Double = 0,
        retryOn: Set<String>? = nil,
        noRetryOn: Set<String> = []
    ) {
        self.maxAttempts = maxAttempts
        self.strategy = strategy
        self.maxDelaySeconds = maxDelaySeconds
        self.jitter = jitter
        self.retryOn = retryOn
        self.noRetryOn = noRetryOn
    }

    /// One attempt, no retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The delay in seconds before the retry that follows failed attempt `failedAttempt` (0-based),
    /// before jitter.
    public func baseDelay(afterFailedAttempt failedAttempt: Int) -> Double {
        let delay: Double
        switch strategy {
        case .exponential(let base, let multiplier):
            delay = base * pow(multiplier, failedAttempt)
        case .fixed(let value):
            delay = value
        case .linear(let base):
            delay = base * Double(failedAttempt + 1)
        }
        if let maxDelaySeconds { return min(delay, maxDelaySeconds) }
        return delay
    }

    /// The delay with jitter applied, drawing from `generator`.
    public func delay(afterFailedAttempt failedAttempt: Int, using generator: inout some RandomNumberGenerator)
        -> Double
    {
        let base = baseDelay(afterFailedAttempt: failedAttempt)
        guard jitter > 0, base > 0 else { return base }
        return base * (1 - jitter * Double.random(in: 0...1, using: &generator))
    }

    /// Whether an error of type `errorType` may be retried under this policy.
    public func allowsRetry(ofErrorType errorType: String) -> Bool {
        if noRetryOn.contains(errorType) { return false }
        if let retryOn { return retryOn.contains(errorType) }
        return true
    }
}

private func pow(_ base: Double, _ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<max(0, exponent) { result *= base }
    return result
}
