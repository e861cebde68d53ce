import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

/// Parallel checks overlapping, cancellation running the compensation, and the notification fallback.
@Suite(.shopDatabase) struct ConcurrencyScenarioTests {
    // These tests coordinate with AsyncBarrier instead of sleeping; the time limit only turns a broken
    // engine (a barrier that never opens) into a failure instead of a hang.

    @Test(.timeLimit(.minutes(1))) func fraudCheckAndPaymentVerificationRunAtTheSameTime() async throws {
        // Each check waits at the barrier until the other has started too, so they can only finish if
        // the engine runs them concurrently; the recorder's logical timeline then shows the overlap.
        let barrier = AsyncBarrier(parties: 2)
        let registry = makeTaskRegistry()
            .wrapping("FraudCheck") { inputs, context, original in
                try await barrier.arrive()
                return try await original(inputs, context)
            }
            .wrapping("VerifyPaymentMethod") { inputs, context, original in
                try await barrier.arrive()
                return try await original(inputs, context)
            }
        let scenario = try OrderScenario(registry: registry)

        let run = try await scenario.run(Orders.order())

        guard expectSuccess(run) else { return }
        expectOverlap(scenario.mocks, "FraudCheck", "VerifyPaymentMethod")
        let fraud = try scenario.mocks.call("FraudCheck", at: 0)
        let verify = try scenario.mocks.call("VerifyPaymentMethod", at: 0)
        let fraudEnd = try #require(fraud.endOrder)
        let verifyEnd = try #require(verify.endOrder)
        #expect(fraud.startOrder < verifyEnd && verify.startOrder < fraudEnd)
        // Both steps started before either completed, in the event stream too.
        let parallelEvents = run.events.filter { $0.stepId == "fraud" || $0.stepId == "payment_method" }.map(\.name)
        #expect(parallelEvents == ["step_started", "step_started", "step_completed", "step_completed"])
    }

    @Test(.timeLimit(.minutes(1))) func withServiceLatencyBothChecksWaitOnTheClockAtOnce() async throws {
        // The real tasks against services that take time to answer, on a clock only the test moves: the
        // fraud check (30 ms) and the payment verification (20 ms) are both waiting before any time passes.
        let clock = ManualClock()
        let scenario = try OrderScenario(clock: clock, services: .demo(latency: .demo))

        async let order = scenario.run(Orders.order())
        await clock.waitForSleepers(count: 2)
        #expect(scenario.mocks.calls(to: "FraudCheck").first?.isFinished == false)
        #expect(scenario.mocks.calls(to: "VerifyPaymentMethod").first?.isFinished == false)
        clock.advance(by: .milliseconds(30))
        await clock.waitForSleepers(count: 1)  // the charge (40 ms)
        clock.advance(by: .milliseconds(40))
        let run = try await order

        guard expectSuccess(run) else { return }
        expectOverlap(scenario.mocks, "FraudCheck", "VerifyPaymentMethod")
        #expect(clock.requestedSleeps.sorted() == [.milliseconds(20), .milliseconds(30), .milliseconds(40)])
        #expect(scenario.services.payments.charges.count == 1)
    }

    @Test(.timeLimit(.minutes(1))) func cancellingDuringShipmentRefundsThePaymentAndReleasesTheStock() async throws {
        let reachedShipment = AsyncBarrier(parties: 2)
        let neverOpens = AsyncBarrier(parties: 2)
        let registry = makeTaskRegistry().wrapping("CreateShipment") { inputs, context, original in
            try await reachedShipment.arrive()
            try await neverOpens.arrive()  // only the cancellation ends this wait
            return try await original(inputs, context)
        }
        // A clock that never moves: the on_cancel cleanup's database work finishes long before its timeout.
        let scenario = try OrderScenario(registry: registry, clock: ManualClock())
        let services = scenario.services
        let signal = CancellationSignal()

        async let cancelled = scenario.run(Orders.order(), cancellation: signal)
        try await reachedShipment.arrive()
        #expect(services.payments.charges.count == 1, "the order is paid when the shipment starts")
        signal.cancel(reason: "Customer cancelled the order")
        let run = try await cancelled

        expectCancelled(run, reason: "Customer cancelled the order")
        #expect(run.result.cleanupErrors.isEmpty)
        #expect(run.eventNames.last == "flow_cancelled")
        let transaction = try #require(services.payments.charges.first?.transactionId)
        expectCalled(scenario.mocks, "RefundPayment", with: ["transaction_id": .string(transaction), "reason": "cancelled"])
        #expect(services.payments.charges.first?.refunded == true)
        #expect(try scenario.mocks.call("ReleaseInventory", at: 0).output?["released"] == true)
        #expect(try await services.inventory.openReservations().isEmpty)
        #expect(try await services.stock("PROD-001", "PROD-002") == [500, 300])
        #expect(services.shipping.booked.isEmpty)
        #expect(try scenario.mocks.call("NotifyCancellation", at: 0).output?["notified"] == true)
        #expect(services.notifier.sent.last?.text.contains("cancelled") == true)
    }

    @Test(.timeLimit(.minutes(1))) func cancellingBeforePaymentOnlyReleasesTheStock() async throws {
        let reachedFraudCheck = AsyncBarrier(parties: 2)
        let neverOpens = AsyncBarrier(parties: 2)
        let registry = makeTaskRegistry().wrapping("FraudCheck") { inputs, context, original in
            try await reachedFraudCheck.arrive()
            try await neverOpens.arrive()
            return try await original(inputs, context)
        }
        // A clock that never moves: the on_cancel cleanup's database work finishes long before its timeout.
        let scenario = try OrderScenario(registry: registry, clock: ManualClock())
        let services = scenario.services
        let signal = CancellationSignal()

        async let cancelled = scenario.run(Orders.order(), cancellation: signal)
        try await reachedFraudCheck.arrive()
        signal.cancel()
        let run = try await cancelled

        expectCancelled(run, reason: "Execution cancelled")
        #expect(run.result.cleanupErrors.isEmpty)
        expectNotCalled(scenario.mocks, "ChargePayment")
        expectNotCalled(scenario.mocks, "RefundPayment")  // nothing was charged: on_cancel skips the refund
        expectCalled(scenario.mocks, "ReleaseInventory", times: 1)
        expectCalled(scenario.mocks, "NotifyCancellation", times: 1)
        #expect(try await services.inventory.openReservations().isEmpty)
        #expect(try await services.stock("PROD-001", "PROD-002") == [500, 300])
    }

    // MARK: - Notifications

    @Test func emailOutageFallsBackToSMS() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services
        services.notifier.setDown("email")

        let run = try await scenario.run(Orders.order())

        expectSuccess(run)
        #expect(run.status == .completed)
        #expect(services.notifier.sent.map(\.channel) == ["sms"])
        #expect(services.notifier.sent.first?.recipient == "+1-555-0100")
        expectNotCalled(scenario.mocks, "LogNotificationFailure")
    }

    @Test func noConfirmationChannelStillCompletesTheOrderAndLogsTheFailure() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services
        services.notifier.setDown("email")
        services.notifier.setDown("sms")

        let run = try await scenario.run(Orders.order())

        expectSuccess(run)
        #expect(run.status == .completed)
        expectOutput(run, "order_id", equals: "ORD-100001")
        expectCalled(scenario.mocks, "LogNotificationFailure", with: ["order_id": "ORD-100001", "error": "sms service unavailable"])
        #expect(services.notifier.failures == ["order ORD-100001: confirmation not delivered: sms service unavailable"])
        #expect(services.payments.charges.count == 1)
    }
}
