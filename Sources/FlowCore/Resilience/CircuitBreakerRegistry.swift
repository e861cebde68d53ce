public import CoreMetrics
public import Logging
import Synchronization

/// Circuit breakers by name, made on first use and shared from then on.
///
/// Hand one registry to the services your tasks call (or keep one per process) and ask it for the breaker
/// of each dependency; every breaker shares the registry's clock, metrics factory, logger and observer.
///
/// ```swift
/// let breakers = CircuitBreakerRegistry(defaultConfiguration: .init(openDuration: .seconds(15)))
/// let receipt = try await breakers.breaker(named: "payment-gateway").run { try await gateway.charge(order) }
/// ```
public final class CircuitBreakerRegistry: Sendable {
    private let defaultConfiguration: CircuitBreakerConfiguration
    private let clock: any Clock<Duration>
    private let metricsFactory: (any MetricsFactory)?
    private let logger: Logger?
    private let onTransition: (@Sendable (CircuitBreakerTransition) -> Void)?
    private let breakers = Mutex<[String: CircuitBreaker]>([:])

    public init(
        defaultConfiguration: CircuitBreakerConfiguration = CircuitBreakerConfiguration(),
        clock: any Clock<Duration> = ContinuousClock(),
        metricsFactory: (any MetricsFactory)? = nil,
        logger: Logger? = nil,
        onTransition: (@Sendable (CircuitBreakerTransition) -> Void)? = nil
    ) {
        self.defaultConfiguration = defaultConfiguration
        self.clock = clock
        self.metricsFactory = metricsFactory
        self.logger = logger
        self.onTransition = onTransition
    }

    /// The breaker named `name`, made with `configuration` (or the registry's default) on first use; later
    /// calls return the same breaker whatever configuration they pass.
    public func breaker(named name: String, configuration: CircuitBreakerConfiguration? = nil) -> CircuitBreaker {
        breakers.withLock { breakers in
            if let existing = breakers[name] { return existing }
            let breaker = CircuitBreaker(
                name: name,
                configuration: configuration ?? defaultConfiguration,
                clock: clock,
                metricsFactory: metricsFactory,
                logger: logger,
                onTransition: onTransition
            )
            breakers[name] = breaker
            return breaker
        }
    }

    /// Every breaker's state, by name.
    public var states: [String: CircuitBreakerState] {
        breakers.withLock { $0.mapValues(\.state) }
    }
}
