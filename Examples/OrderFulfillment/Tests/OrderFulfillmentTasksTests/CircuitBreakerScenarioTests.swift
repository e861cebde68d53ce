import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

/// The payment gateway's circuit breaker: an outage opens it, orders then fail fast, and it closes again.
@Suite(.shopDatabase) struct CircuitBreakerScenarioTests {
    /// The breakers' clock: moved by hand, while the flow's retries use the scenario's immediate clock.
    let breakerClock = ManualClock()

    func makeScenario() throws -> OrderScenario {
        try OrderScenario(services: .demo(breakers: CircuitBreakerRegistry(clock: breakerClock)))
    }

    var breakerState: (OrderServices) -> CircuitBreakerState? {
        { $0.breakers.states[PaymentGateway.breakerName] }
    }

    @Test func gatewayOutageOpensTheBreakerAndLaterOrdersFailFastWithoutCallingTheGateway() async throws {
        let scenario = try makeScenario()
        let services = scenario.services
        services.payments.failNext(100)

        let first = try await scenario.run(Orders.order(idempotencyKey: "order-1"))
        expectTerminated(first, reason: "Payment failed: payment gateway timed out")
        #expect(breakerState(services) == .closed)

        // Attempts 4 and 5 time out and open the breaker; the third attempt of this order is rejected.
        let second = try await scenario.run(Orders.order(idempotencyKey: "order-2"))
        let rejection = "circuit breaker 'payment-gateway' is open; calls are rejected for another 30.0 s"
        expectTerminated(second, reason: "Payment failed: \(rejection)")
        expectOutput(second, "error", equals: "CircuitOpen")
        #expect(services.payments.attempts == 5)
        #expect(breakerState(services) == .open)

        breakerClock.advance(by: .seconds(12))
        let third = try await scenario.run(Orders.order(idempotencyKey: "order-3"))
        expectTerminated(third, reason: "Payment failed: circuit breaker 'payment-gateway' is open; calls are rejected for another 18.0 s")
        #expect(scenario.mocks.calls(to: "ChargePayment").count == 7)  // 3 + 3 + 1: CircuitOpen is not retried
        #expect(services.payments.attempts == 5)  // the gateway was not called again
        #expect(try await services.inventory.openReservations().isEmpty)
        #expect(try await services.stock("PROD-001", "PROD-002") == [500, 300])
    }

    @Test func breakerLetsATrialChargeThroughAfterThirtySecondsAndClosesWhenItSucceeds() async throws {
        let scenario = try makeScenario()
        let services = scenario.services
        services.payments.failNext(5)
        _ = try await scenario.run(Orders.order(idempotencyKey: "order-1"))
        _ = try await scenario.run(Orders.order(idempotencyKey: "order-2"))
        #expect(breakerState(services) == .open)

        breakerClock.advance(by: .seconds(30))
        let recovered = try await scenario.run(Orders.order(idempotencyKey: "order-3"))

        guard expectSuccess(recovered) else { return }
        #expect(breakerState(services) == .closed)
        #expect(services.payments.charges.count == 1)
    }

    @Test func declinedCardsDoNotOpenTheBreaker() async throws {
        let scenario = try makeScenario()
        let services = scenario.services

        for index in 1...6 {
            let run = try await scenario.run(Orders.order(token: "tok_declined_\(index)", idempotencyKey: "declined-\(index)"))
            expectOutput(run, "error", equals: "CardDeclined")
        }

        #expect(breakerState(services) == .closed)
        expectSuccess(try await scenario.run(Orders.order(idempotencyKey: "good")))
    }
}
