import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

/// The walkthrough's integration scenarios (§5), run through flow.yaml with the real tasks and fresh
/// simulated services each: what the customer gets back, and what really happened to stock, payments,
/// shipments and notifications.
@Suite struct OrderScenarioTests {
    // MARK: - Successful orders

    @Test func standardOrderIsChargedOnceShippedAndConfirmed() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services

        let run = try await scenario.run(Orders.order())

        guard expectSuccess(run) else { return }
        #expect(run.status == .completed)
        expectOutput(run, "success", equals: true)
        expectOutput(run, "order_id", equals: "ORD-100001")
        expectOutput(run, "transaction_id", equals: "TXN-100001")
        // 2 × 29.99 + 39.99 = 99.97, not over 100, so standard shipping applies.
        expectOutput(run, "final_price", equals: 105.96)
        expectOutput(run, "discount_applied", equals: 0)
        expectOutput(run, "shipping_cost", equals: 5.99)
        expectOutput(run, "estimated_delivery", equals: "5-7 business days")
        expectOutput(run, "message", equals: "Order processed successfully")
        #expect(run.output("confirmation_code")?.stringValue?.count == 6)
        #expect(run.output("tracking_number")?.stringValue?.hasPrefix("TRK-ORD-100001") == true)

        #expect(services.stock("PROD-001", "PROD-002") == [498, 299])
        #expect(services.payments.charges.map(\.amount) == [105.96])
        #expect(services.payments.attempts == 1)
        #expect(services.inventory.openReservations.isEmpty, "the shipped order's reservation is committed")
        #expect(services.inventory.committedReservations.count == 1)
        #expect(services.shipping.booked.map(\.orderId) == ["ORD-100001"])
        #expect(services.notifier.sent.map(\.channel) == ["email"])
        #expect(services.notifier.sent.first?.recipient == "ada@example.com")
    }

    @Test func standardOrderRunsEveryStepInOrder() async throws {
        let scenario = try OrderScenario()

        let run = try await scenario.run(Orders.order())

        guard expectSuccess(run) else { return }
        let completed = OrderScenario.steps(run, .stepCompleted)
        let sequential = completed.filter { $0 != "fraud" && $0 != "payment_method" }
        #expect(
            sequential == [
                "customer", "customer_check", "order_items", "stock", "stock", "availability", "reservation", "pricing",
                "payment", "order", "shipment", "email",
            ]
        )
        #expect(Set(completed.filter { $0 == "fraud" || $0 == "payment_method" }) == ["fraud", "payment_method"])
        let pricing = try #require(completed.firstIndex(of: "pricing"))
        let payment = try #require(completed.firstIndex(of: "payment"))
        for parallel in ["fraud", "payment_method"] {
            let index = try #require(completed.firstIndex(of: parallel))
            #expect(pricing < index && index < payment, "\(parallel) runs between pricing and payment")
        }
        #expect(OrderScenario.steps(run, .stepStarted).count == OrderScenario.steps(run, .stepCompleted).count)
        #expect(run.eventNames.first == "flow_started")
        #expect(run.eventNames.last == "flow_completed")
        #expect(run.events(.flowCompleted).first?.data["outputs"]?["order_id"] == "ORD-100001")
    }

    @Test func expressOrderOfAPremiumMemberPaysExpressShippingWithTheMemberDiscount() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services

        let run = try await scenario.run(
            Orders.order(customer: "CUST-PREMIUM", items: [["product_id": "PROD-001", "quantity": 1]], type: "express")
        )

        guard expectSuccess(run) else { return }
        // 29.99 less 15% (4.50) plus 19.99 express shipping.
        expectOutput(run, "shipping_cost", equals: 19.99)
        expectOutput(run, "discount_applied", equals: 4.50)
        expectOutput(run, "final_price", equals: 45.48)
        expectOutput(run, "estimated_delivery", equals: "1-2 business days")
        expectCalled(scenario.mocks, "CalculateExpressPricing", times: 1)
        expectNotCalled(scenario.mocks, "CalculateStandardPricing")
        #expect(services.shipping.booked.first?.carrier == "FlowExpress Air")
        #expect(services.payments.charges.map(\.amount) == [45.48])
    }

    @Test func standardOrderOfAPremiumMemberOver100ShipsFree() async throws {
        let scenario = try OrderScenario()

        let run = try await scenario.run(
            Orders.order(customer: "CUST-PREMIUM", items: [["product_id": "PROD-003", "quantity": 3]])
        )

        guard expectSuccess(run) else { return }
        // 3 × 49.99 = 149.97, 10% off (15.00) leaves 134.97: over 100, so shipping is free.
        expectOutput(run, "discount_applied", equals: 15.00)
        expectOutput(run, "shipping_cost", equals: 0)
        expectOutput(run, "final_price", equals: 134.97)
    }

    @Test func bulkOrderOf50ItemsChecksEachItemAndGetsTheBulkDiscount() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services
        let products = ["PROD-001", "PROD-002", "PROD-003"]
        let items = FlowValue.array((0..<50).map { ["product_id": .string(products[$0 % 3]), "quantity": 2] })

        let run = try await scenario.run(Orders.order(items: items, type: "bulk"))

        guard expectSuccess(run) else { return }
        expectCalled(scenario.mocks, "CheckInventory", times: 50)
        // 34 × 29.99 + 34 × 39.99 + 32 × 49.99 = 3979.00 for 100 units: the 20% tier, shipping free.
        let availability = try scenario.mocks.call("SummarizeAvailability", at: 0).output
        #expect(availability?["subtotal"]?.doubleValue == 3979.0)
        #expect(availability?["lines"]?.arrayValue?.count == 3)
        expectOutput(run, "discount_applied", equals: 795.80)
        expectOutput(run, "shipping_cost", equals: 0)
        expectOutput(run, "final_price", equals: 3183.20)
        #expect(services.stock("PROD-001", "PROD-002", "PROD-003") == [466, 266, 168])
        #expect(services.payments.charges.map(\.amount) == [3183.20])
    }

    // MARK: - Validation failures

    @Test(arguments: [
        ("CUST-INACTIVE", "Customer validation failed: customer CUST-INACTIVE is inactive"),
        ("CUST-NOBODY", "Customer validation failed: customer CUST-NOBODY not found"),
    ])
    func invalidCustomerExitsEarlyWithAValidationError(customer: String, reason: String) async throws {
        let scenario = try OrderScenario()
        let services = scenario.services

        let run = try await scenario.run(Orders.order(customer: .string(customer)))

        expectTerminated(run, reason: reason)
        expectOutput(run, "success", equals: false)
        expectOutput(run, "error", equals: "validation_error")
        #expect(run.output("error")?.stringValue?.contains("validation") == true)
        expectOutput(run, "message", equals: .string(reason))
        expectNotCalled(scenario.mocks, "ValidateOrderItems")
        expectNotCalled(scenario.mocks, "ReserveInventory")
        expectNotCalled(scenario.mocks, "ChargePayment")
        #expect(services.stock("PROD-001", "PROD-002") == [500, 300])
        #expect(services.payments.attempts == 0)
    }

    @Test func outOfStockItemEndsTheOrderWithNothingReserved() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services

        let run = try await scenario.run(
            Orders.order(items: [["product_id": "PROD-001", "quantity": 1], ["product_id": "PROD-OOS", "quantity": 1]])
        )

        expectTerminated(run, reason: #"Out of stock: ["PROD-OOS (requested 1, available 0)"]"#)
        expectOutput(run, "error", equals: "out_of_stock")
        expectOutput(run, "unavailable", equals: ["PROD-OOS (requested 1, available 0)"])
        expectCalled(scenario.mocks, "CheckInventory", times: 2)
        expectNotCalled(scenario.mocks, "ReserveInventory")
        expectNotCalled(scenario.mocks, "ChargePayment")
        #expect(services.inventory.openReservations.isEmpty)
        #expect(services.stock("PROD-001") == [500])
    }

    @Test func moreUnitsThanInStockAcrossTwoLinesIsOutOfStock() async throws {
        let scenario = try OrderScenario()

        // 25 monitors in stock: each line alone fits, together they do not.
        let run = try await scenario.run(
            Orders.order(items: [["product_id": "PROD-004", "quantity": 20], ["product_id": "PROD-004", "quantity": 10]])
        )

        expectTerminated(run)
        expectOutput(run, "unavailable", equals: ["PROD-004 (requested 30, available 25)"])
        #expect(scenario.services.stock("PROD-004") == [25])
    }

    @Test func missingRequiredInputsAreRejectedBeforeAnyTaskRuns() async throws {
        let scenario = try OrderScenario()
        var inputs = Orders.replacing("customer_id", with: nil)
        inputs = Orders.replacing("payment_details", with: nil, in: inputs)

        do {
            _ = try await scenario.run(inputs)
            Issue.record("the run started without customer_id and payment_details")
        } catch let error as InputValidationError {
            #expect(error.problems.map(\.input) == ["customer_id", "payment_details"])
            #expect(error.problems.allSatisfy { $0.kind == .missing })
            #expect(error.description.contains("Required input 'customer_id' not provided"))
        }
        #expect(scenario.mocks.allCalls.isEmpty)
        #expect(scenario.services.payments.attempts == 0)
    }

    @Test func invalidOrderTypeReleasesTheReservationAndExits() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services

        let run = try await scenario.run(Orders.order(type: "overnight"))

        expectTerminated(run, reason: "Invalid order type: overnight")
        expectOutput(run, "error", equals: "invalid_order_type")
        expectCalled(scenario.mocks, "ReserveInventory", times: 1)
        #expect(try scenario.mocks.call("ReleaseInventory", at: 0).stepId == "release_invalid_type")
        #expect(try scenario.mocks.call("ReleaseInventory", at: 0).output?["released"] == true)
        expectNotCalled(scenario.mocks, "ChargePayment")
        #expect(services.inventory.openReservations.isEmpty)
        #expect(services.stock("PROD-001", "PROD-002") == [500, 300])
    }

    // MARK: - Payments

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
        #expect(services.inventory.openReservations.isEmpty)
        #expect(services.stock("PROD-001", "PROD-002") == [500, 300])
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
        #expect(services.inventory.openReservations.isEmpty)
        #expect(services.stock("PROD-001", "PROD-002") == [500, 300])
    }

    @Test func sameOrderTwiceWithTheSameIdempotencyKeyChargesOnce() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services

        let first = try await scenario.run(Orders.order(idempotencyKey: "order-2024-001"))
        let second = try await scenario.run(Orders.order(idempotencyKey: "order-2024-001"))

        guard expectSuccess(first), expectSuccess(second) else { return }
        #expect(first.outputs == second.outputs)
        #expect(services.payments.attempts == 2)
        #expect(services.payments.charges.count == 1)
        #expect(services.orders.orders.count == 1)
        #expect(services.shipping.booked.count == 1)
        #expect(services.stock("PROD-001", "PROD-002") == [498, 299], "the stock is taken once")
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
        #expect(services.stock("PROD-003") == [200])
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
        #expect(services.stock("PROD-001", "PROD-002") == [498, 299])
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
        #expect(services.inventory.openReservations.isEmpty)
        #expect(services.stock("PROD-001", "PROD-002") == [500, 300])
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
        #expect(services.stock("PROD-004") == [25])
    }

    @Test func unacceptedPaymentMethodIsRejected() async throws {
        let scenario = try OrderScenario()

        let run = try await scenario.run(Orders.order(paymentMethod: "bitcoin"))

        expectTerminated(run, reason: "Payment rejected")
        #expect(try scenario.mocks.call("VerifyPaymentMethod", at: 0).output?["valid"] == false)
        expectNotCalled(scenario.mocks, "ChargePayment")
        #expect(scenario.services.inventory.openReservations.isEmpty)
    }

    // MARK: - Concurrency and cancellation
    //
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
        let scenario = try OrderScenario(registry: registry)
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
        #expect(services.inventory.openReservations.isEmpty)
        #expect(services.stock("PROD-001", "PROD-002") == [500, 300])
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
        let scenario = try OrderScenario(registry: registry)
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
        #expect(services.inventory.openReservations.isEmpty)
        #expect(services.stock("PROD-001", "PROD-002") == [500, 300])
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
