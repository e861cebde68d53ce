import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

/// Charging, retries, declines, idempotency and the compensation that follows a failed payment.
@Suite(.shopDatabase) struct PaymentScenarioTests {
    @Test(arguments: ["GatewayTimeout", "GatewayUnavailable"])
    func paymentIsRetriedOnATransientErrorThenSucceeds(errorType: String) async throws {
        let clock = ImmediateClock()
        let scenario = try OrderScenario(clock: clock)
        let services = scenario.services
        services.payments.failNext(2, type: errorType)

        let run = try await scenario.run(Orders.order())

        guard expectSuccess(run) else { return }
        let charges = scenario.mocks.calls(to: "ChargePayment")
        #expect(charges.map(\.attempt) == [1, 2, 3])
        #expect(charges.map(\.threw) == [true, true, false])
        #expect(charges.first?.outcome == .threw(message: errorType == "GatewayTimeout" ? "payment gateway timed out" : "payment gateway unavailable (503)", type: errorType))
        // delay_seconds 0.2, backoff ×2: recorded by the clock, not waited for.
        #expect(clock.requestedSleeps == [.milliseconds(200), .milliseconds(400)])
        #expect(OrderScenario.steps(run, .stepRetrying) == ["payment", "payment"])
        #expect(services.payments.attempts == 3)
        #expect(services.payments.charges.count == 1)
        expectOutput(run, "transaction_id", equals: .string(services.payments.charges[0].transactionId))
    }

    @Test func paymentThatKeepsTimingOutReleasesTheStockAfterThreeAttempts() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services
        services.payments.failNext(10)

        let run = try await scenario.run(Orders.order())

        expectTerminated(run, reason: "Payment failed: payment gateway timed out")
        expectOutput(run, "error", equals: "GatewayTimeout")
        expectCalled(scenario.mocks, "ChargePayment", times: 3)
        expectCalled(scenario.mocks, "ReleaseInventory", times: 1)
        #expect(services.payments.charges.isEmpty)
        #expect(try await services.inventory.openReservations().isEmpty)
        #expect(try await services.stock("PROD-001", "PROD-002") == [500, 300])
    }

    @Test func declinedPaymentReleasesTheReservationAndChargesNothing() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services

        let run = try await scenario.run(Orders.order(token: "tok_declined_0002"))

        expectTerminated(run, reason: "Payment failed: card declined by issuer")
        expectOutput(run, "success", equals: false)
        expectOutput(run, "error", equals: "CardDeclined")
        expectOutput(run, "message", equals: "Payment failed: card declined by issuer")
        expectCalled(scenario.mocks, "ChargePayment", times: 1)  // a decline is not retried
        let release = try scenario.mocks.call("ReleaseInventory", at: 0)
        #expect(release.stepId == "release_payment_failed")
        #expect(release.inputs["reservation_id"] == scenario.mocks.calls(to: "ReserveInventory").first?.output?["reservation_id"])
        #expect(release.output?["released"] == true)
        expectNotCalled(scenario.mocks, "CreateOrder")
        expectNotCalled(scenario.mocks, "CreateShipment")
        #expect(services.payments.charges.isEmpty)
        #expect(try await services.inventory.openReservations().isEmpty)
        #expect(try await services.stock("PROD-001", "PROD-002") == [500, 300])
    }

    @Test func sameOrderTwiceWithTheSameIdempotencyKeyChargesOnce() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services

        let first = try await scenario.run(Orders.order(idempotencyKey: "order-2024-001"))
        let second = try await scenario.run(Orders.order(idempotencyKey: "order-2024-001"))

        guard expectSuccess(first), expectSuccess(second) else { return }
        #expect(first.outputs == second.outputs)
        #expect(services.payments.attempts == 1, "the second order found its payment in the shop's ledger")
        #expect(services.payments.charges.count == 1)
        #expect(try await services.ledger.payments().map(\.idempotencyKey) == ["order-2024-001"])
        #expect(try await services.orders.orders().count == 1)
        #expect(services.shipping.booked.count == 1)
        #expect(try await services.stock("PROD-001", "PROD-002") == [498, 299], "the stock is taken once")
    }

    /// Without a client key the charge is keyed `<execution id>:charge`, the same on every attempt: when the
    /// card is charged but the step then fails (a timeout after the charge), the retry finds that payment in the
    /// shop's ledger instead of charging again.
    @Test func retryWithoutAClientKeyReusesTheDerivedKeyAndChargesOnce() async throws {
        let registry = makeTaskRegistry().wrapping("ChargePayment") { inputs, context, original in
            let result = try await original(inputs, context)
            if context.attempt == 1 { throw TaskError("payment gateway timed out", type: "GatewayTimeout") }
            return result
        }
        let clock = ImmediateClock()
        let scenario = try OrderScenario(registry: registry, clock: clock)
        let services = scenario.services

        let run = try await scenario.run(Orders.order(idempotencyKey: nil))

        guard expectSuccess(run) else { return }
        let attempts = scenario.mocks.calls(to: "ChargePayment")
        #expect(attempts.map(\.attempt) == [1, 2])
        #expect(attempts.map(\.threw) == [true, false])
        #expect(clock.requestedSleeps == [.milliseconds(200)])
        #expect(services.payments.attempts == 1, "the retry found the payment in the shop's ledger")
        #expect(try await services.ledger.payments().map(\.idempotencyKey) == ["\(run.result.executionId):charge"])
        #expect(services.payments.charges.map(\.idempotencyKey) == ["\(run.result.executionId):charge"], "under one key")
        #expect(services.payments.charges.count == 1, "the card is charged once")
        expectOutput(run, "transaction_id", equals: .string(services.payments.charges.first?.transactionId ?? ""))
        #expect(try await services.orders.orders().count == 1)
    }

    /// A derived key belongs to one execution: the same order sent twice without a key is two orders, each
    /// charged and shipped once.
    @Test func sameOrderTwiceWithoutAKeyIsTwoCharges() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services

        let first = try await scenario.run(Orders.order(idempotencyKey: nil))
        let second = try await scenario.run(Orders.order(idempotencyKey: nil))

        guard expectSuccess(first), expectSuccess(second) else { return }
        #expect(first.output("order_id") != second.output("order_id"))
        #expect(first.output("transaction_id") != second.output("transaction_id"))
        #expect(
            services.payments.charges.map(\.idempotencyKey) == ["\(first.result.executionId):charge", "\(second.result.executionId):charge"]
        )
        #expect(services.payments.charges.map(\.amount) == [105.96, 105.96])
        #expect(try await services.orders.orders().count == 2)
        #expect(services.shipping.booked.count == 2)
        #expect(try await services.stock("PROD-001", "PROD-002") == [496, 298], "the stock is taken twice")
    }

    @Test func sameIdempotencyKeyForDifferentItemsFailsWithoutASecondCharge() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services

        let first = try await scenario.run(Orders.order(idempotencyKey: "order-7"))
        let second = try await scenario.run(
            Orders.order(items: [["product_id": "PROD-003", "quantity": 1]], idempotencyKey: "order-7")
        )

        expectSuccess(first)
        expectFailure(second, errorContains: "order reference order-7 already holds a reservation", type: "IdempotencyKeyReused", step: "reservation")
        #expect(services.payments.charges.count == 1)
        #expect(try await services.stock("PROD-003") == [200])
    }

    @Test func declinedOrderCanBeRetriedWithAnotherCardUnderTheSameKey() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services

        let declined = try await scenario.run(Orders.order(token: "tok_declined", idempotencyKey: "order-9"))
        let retried = try await scenario.run(Orders.order(token: "tok_mastercard_4444", idempotencyKey: "order-9"))

        expectOutput(declined, "error", equals: "CardDeclined")
        guard expectSuccess(retried) else { return }
        expectOutput(retried, "success", equals: true)
        #expect(services.payments.charges.count == 1)
        #expect(try await services.stock("PROD-001", "PROD-002") == [498, 299])
    }

    @Test func shipmentThatFailsAfterPaymentIsRefundedAndReleased() async throws {
        let registry = makeTaskRegistry().wrapping("CreateShipment") { _, _, _ in
            throw TaskError("carrier rejected the booking", type: "CarrierUnavailable")
        }
        let scenario = try OrderScenario(registry: registry)
        let services = scenario.services

        let run = try await scenario.run(Orders.order())

        expectTerminated(run, reason: "Shipment failed: carrier rejected the booking")
        expectOutput(run, "error", equals: "shipment_failed")
        #expect(try scenario.mocks.call("RefundPayment", at: 0).stepId == "refund_unshippable")
        #expect(services.payments.charges.map(\.refunded) == [true])
        #expect(try scenario.mocks.call("ReleaseInventory", at: 0).stepId == "release_unshippable")
        #expect(try await services.inventory.openReservations().isEmpty)
        #expect(try await services.stock("PROD-001", "PROD-002") == [500, 300])
        expectNotCalled(scenario.mocks, "SendConfirmationEmail")
    }

    @Test func fraudRejectionReleasesTheReservationBeforeAnyCharge() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services
        var address = Orders.address.objectValue ?? [:]
        address["country"] = "BR"

        // 21 monitors: 5249.79, shipped outside the delivery countries.
        let run = try await scenario.run(
            Orders.order(items: [["product_id": "PROD-004", "quantity": 21]], address: .object(address))
        )

        expectTerminated(run, reason: "Payment rejected")
        expectOutput(run, "error", equals: "payment_rejected")
        #expect(try scenario.mocks.call("FraudCheck", at: 0).output?["approved"] == false)
        #expect(try scenario.mocks.call("ReleaseInventory", at: 0).stepId == "release_rejected")
        expectNotCalled(scenario.mocks, "ChargePayment")
        #expect(try await services.stock("PROD-004") == [25])
    }

    @Test func unacceptedPaymentMethodIsRejected() async throws {
        let scenario = try OrderScenario()

        let run = try await scenario.run(Orders.order(paymentMethod: "bitcoin"))

        expectTerminated(run, reason: "Payment rejected")
        #expect(try scenario.mocks.call("VerifyPaymentMethod", at: 0).output?["valid"] == false)
        expectNotCalled(scenario.mocks, "ChargePayment")
        #expect(try await scenario.services.inventory.openReservations().isEmpty)
    }
}
