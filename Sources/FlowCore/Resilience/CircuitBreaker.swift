public import CoreMetrics
public import Logging
import Synchronization

/// Stops calling a failing dependency for a while, so a flow fails fast instead of piling up timeouts.
///
/// Closed, calls go through and failures are counted; after ``CircuitBreakerConfiguration/failureThreshold``
/// the breaker opens and rejects calls at once with ``CircuitOpenError`` for
/// ``CircuitBreakerConfiguration/openDuration``; then it is half-open and lets a few trial calls through,
/// closing after they succeed and opening again if one fails. One breaker guards one dependency: share it
/// between executions, usually through a ``CircuitBreakerRegistry``.
///
/// ```swift
/// let breaker = registry.breaker(named: "payment-gateway")
/// let charge = try await breaker.run { try await gateway.charge(amount) }
/// ```
///
/// Time comes from the injected clock, so tests drive the open duration with a manual clock.
public final class CircuitBreaker: Sendable {
    public let name: String
    public let configuration: CircuitBreakerConfiguration
    private let machine: Mutex<CircuitBreakerStateMachine>
    private let elapsed: @Sendable () -> Duration
    private let metrics: CircuitBreakerMetrics
    private let logger: Logger?
    private let onTransition: (@Sendable (CircuitBreakerTransition) -> Void)?

    /// - Parameters:
    ///   - metricsFactory: where the breaker's metrics go; the bootstrapped `MetricsSystem` by default.
    ///   - logger: logs every transition (opening as a warning).
    ///   - onTransition: called after every state change, outside the breaker's lock.
    public init(
        name: String,
        configuration: CircuitBreakerConfiguration = CircuitBreakerConfiguration(),
        clock: any Clock<Duration> = ContinuousClock(),
        metricsFactory: (any MetricsFactory)? = nil,
        logger: Logger? = nil,
        onTransition: (@Sendable (CircuitBreakerTransition) -> Void)? = nil
    ) {
        self.name = name
        self.configuration = configuration
        self.machine = Mutex(CircuitBreakerStateMachine(configuration: configuration))
        self.elapsed = Self.stopwatch(clock)
        self.metrics = CircuitBreakerMetrics(breaker: name, factory: metricsFactory ?? MetricsSystem.factory)
        self.logger = logger
        self.onTransition = onTransition
    }

    /// The current state; an open breaker whose open duration has passed reports `open` until the next call.
    public var state: CircuitBreakerState { machine.withLock { $0.state } }

    /// Runs `operation` unless the breaker is open, and counts its outcome.
    ///
    /// - Throws: ``CircuitOpenError`` without calling `operation` when the breaker rejects the call;
    ///   otherwise whatever `operation` throws.
    nonisolated(nonsending) public func run<T>(_ operation: nonisolated(nonsending) () async throws -> T) async throws
        -> T
    {
        let ticket = try acquire()
        do {
            let value = try await operation()
            record(.success, ticket: ticket)
            return value
        } catch {
            record(outcome(of: error), ticket: ticket)
            throw error
        }
    }

    private func acquire() throws(CircuitOpenError) -> CircuitBreakerStateMachine.Ticket {
        let now = elapsed()
        let (permission, change, state) = machine.withLock { machine in
            let (permission, change) = machine.acquire(at: now)
            return (permission, change, machine.state)
        }
        if let change { announce(change) }
        switch permission {
        case .allowed(let ticket):
            return ticket
        case .rejected(let retryAfter):
            metrics.recordRejection()
            throw CircuitOpenError(breaker: name, state: state, retryAfter: retryAfter)
        }
    }

    private func record(_ outcome: CircuitBreakerStateMachine.Outcome, ticket: CircuitBreakerStateMachine.Ticket) {
        let now = elapsed()
        metrics.recordOutcome(outcome)
        if let change = machine.withLock({ $0.record(outcome, for: ticket, at: now) }) { announce(change) }
    }

    private func outcome(of error: any Error) -> CircuitBreakerStateMachine.Outcome {
        if error is CancellationError { return .ignored }
        return configuration.isFailure(error) ? .failure : .success
    }

    private func announce(_ change: CircuitBreakerStateMachine.Change) {
        metrics.recordState(change.to)
        let transition = CircuitBreakerTransition(breaker: name, from: change.from, to: change.to)
        let metadata: Logger.Metadata = [
            LogKey.breaker: "\(name)", LogKey.from: "\(change.from)", LogKey.to: "\(change.to)",
        ]
        if change.to == .open {
            logger?.warning(
                "circuit breaker opened; calls are rejected for \(configuration.openDuration)", metadata: metadata)
        } else {
            logger?.info("circuit breaker is \(change.to)", metadata: metadata)
        }
        onTransition?(transition)
    }

    /// Time since the breaker was made, read from `clock`.
    private static func stopwatch<C: Clock>(_ clock: C) -> @Sendable () -> Duration where C.Duration == Duration {
        let start = clock.now
        return { start.duration(to: clock.now) }
    }
}
