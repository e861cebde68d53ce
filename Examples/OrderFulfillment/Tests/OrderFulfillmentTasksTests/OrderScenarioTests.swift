import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

/// The walkthrough's integration scenarios (§5), run through flow.yaml with the real tasks and fresh
/// simulated services each: what the customer gets back, and what really happened to stock, payments,
/// shipments and notifications.
@Suite(.shopDatabase) struct OrderScenarioTests {
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

        #expect(try await services.stock("PROD-001", "PROD-002") == [498, 299])
        #expect(services.payments.charges.map(\.amount) == [105.96])
        #expect(services.payments.attempts == 1)
        #expect(try await services.inventory.openReservations().isEmpty, "the shipped order's reservation is committed")
        #expect(try await services.inventory.committedReservations().count == 1)
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
        #expect(try await services.stock("PROD-001", "PROD-002", "PROD-003") == [466, 266, 168])
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
        #expect(try await services.stock("PROD-001", "PROD-002") == [500, 300])
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
        #expect(try await services.inventory.openReservations().isEmpty)
        #expect(try await services.stock("PROD-001") == [500])
    }

    @Test func moreUnitsThanInStockAcrossTwoLinesIsOutOfStock() async throws {
        let scenario = try OrderScenario()

        // 25 monitors in stock: each line alone fits, together they do not.
        let run = try await scenario.run(
            Orders.order(items: [["product_id": "PROD-004", "quantity": 20], ["product_id": "PROD-004", "quantity": 10]])
        )

        expectTerminated(run)
        expectOutput(run, "unavailable", equals: ["PROD-004 (requested 30, available 25)"])
        #expect(try await scenario.services.stock("PROD-004") == [25])
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
        #expect(try await services.inventory.openReservations().isEmpty)
        #expect(try await services.stock("PROD-001", "PROD-002") == [500, 300])
    }
}
