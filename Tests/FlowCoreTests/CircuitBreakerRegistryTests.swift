import FlowCore
import FlowTesting
import MetricsTestKit
import Testing

/// Breakers shared by name, their observers and their metrics.
struct CircuitBreakerRegistryTests {
    struct GatewayDown: Error {}

    @Test func sameNameGivesTheSameBreakerAndTheFirstConfigurationWins() async throws {
        let registry = CircuitBreakerRegistry(clock: ManualClock())
        let first = registry.breaker(
            named: "payments", configuration: CircuitBreakerConfiguration(failureThreshold: .consecutive(1)))
        let second = registry.breaker(
            named: "payments", configuration: CircuitBreakerConfiguration(failureThreshold: .consecutive(9)))
        #expect(first === second)
        #expect(second.configuration.failureThreshold == .consecutive(1))
        #expect(registry.breaker(named: "email") !== first)
    }

    @Test func reportsEveryBreakersStateAndTransitions() async throws {
        let log = TransitionLog()
        let registry = CircuitBreakerRegistry(
            defaultConfiguration: CircuitBreakerConfiguration(failureThreshold: .consecutive(1)),
            clock: ManualClock(),
            onTransition: log.append
        )
        _ = try await registry.breaker(named: "email").run { true }
        await #expect(throws: GatewayDown.self) {
            try await registry.breaker(named: "payments").run { throw GatewayDown() }
        }
        #expect(registry.states == ["email": .closed, "payments": .open])
        #expect(log.all == [CircuitBreakerTransition(breaker: "payments", from: .closed, to: .open)])
    }

    @Test func recordsStateGaugeCallsAndRejectedCallsPerBreaker() async throws {
        let metrics = TestMetrics()
        let clock = ManualClock()
        let registry = CircuitBreakerRegistry(
            defaultConfiguration: CircuitBreakerConfiguration(
                failureThreshold: .consecutive(2), openDuration: .seconds(10)),
            clock: clock,
            metricsFactory: metrics
        )
        let breaker = registry.breaker(named: "payments")
        let state = try metrics.expectGauge("flowlang_circuit_breaker_state", [("breaker", "payments")])
        #expect(state.lastValue == 0)

        _ = try await breaker.run { 1 }
        for _ in 0..<2 { await #expect(throws: GatewayDown.self) { try await breaker.run { throw GatewayDown() } } }
        #expect(state.lastValue == 2)
        for _ in 0..<3 { await #expect(throws: CircuitOpenError.self) { try await breaker.run { 1 } } }
        let rejected = try metrics.expectCounter(
            "flowlang_circuit_breaker_rejected_calls_total", [("breaker", "payments")])
        #expect(rejected.totalValue == 3)

        clock.advance(by: .seconds(10))
        _ = try await breaker.run { 1 }
        #expect(state.values == [0, 2, 1, 0])
        let successes = try metrics.expectCounter(
            "flowlang_circuit_breaker_calls_total",
            [("breaker", "payments"), ("outcome", "success")]
        )
        let failures = try metrics.expectCounter(
            "flowlang_circuit_breaker_calls_total",
            [("breaker", "payments"), ("outcome", "failure")]
        )
        #expect(successes.totalValue == 2)
        #expect(failures.totalValue == 2)
    }
}
