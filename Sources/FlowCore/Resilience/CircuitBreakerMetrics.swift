import CoreMetrics

/// A breaker's metrics: its state, calls by outcome and rejected calls, labelled with the breaker's name.
///
/// - `flowlang_circuit_breaker_state{breaker}`: 0 closed, 1 half-open, 2 open
/// - `flowlang_circuit_breaker_calls_total{breaker,outcome}`: `success` or `failure`
/// - `flowlang_circuit_breaker_rejected_calls_total{breaker}`
struct CircuitBreakerMetrics: Sendable {
    private let state: Gauge
    private let successes: Counter
    private let failures: Counter
    private let rejected: Counter

    init(breaker: String, factory: any MetricsFactory) {
        state = Gauge(label: "flowlang_circuit_breaker_state", dimensions: [("breaker", breaker)], factory: factory)
        successes = Counter(
            label: "flowlang_circuit_breaker_calls_total",
            dimensions: [("breaker", breaker), ("outcome", "success")],
            factory: factory
        )
        failures = Counter(
            label: "flowlang_circuit_breaker_calls_total",
            dimensions: [("breaker", breaker), ("outcome", "failure")],
            factory: factory
        )
        rejected = Counter(
            label: "flowlang_circuit_breaker_rejected_calls_total", dimensions: [("breaker", breaker)], factory: factory
        )
        state.record(CircuitBreakerState.closed.gaugeValue)
    }

    func recordState(_ value: CircuitBreakerState) { state.record(value.gaugeValue) }

    func recordOutcome(_ outcome: CircuitBreakerStateMachine.Outcome) {
        switch outcome {
        case .success: successes.increment()
        case .failure: failures.increment()
        case .ignored: break
        }
    }

    func recordRejection() { rejected.increment() }
}
