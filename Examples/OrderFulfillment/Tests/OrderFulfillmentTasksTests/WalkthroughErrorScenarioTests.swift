import FlowCore
import FlowTesting
import Foundation
import Testing
@testable import OrderFulfillmentTasks

/// The walkthrough's §5 "Testing Error Scenarios" (`tests/test_error_scenarios.py`, `class
/// TestErrorHandling`), test for test, through flow.yaml with the real tasks against fresh demo services.
@Suite(.shopDatabase) struct WalkthroughErrorScenarioTests {
    /// `test_missing_required_input`
    @Test func missingRequiredInputIsRejectedBeforeAnyTaskRuns() async throws {
        let scenario = try OrderScenario()

        // `with pytest.raises(FlowExecutionError)`: the Swift engine refuses the inputs by throwing an
        // `InputValidationError` (HTTP 422 from the server) before the run starts.
        let error = await #expect(throws: InputValidationError.self) {
            try await scenario.run(["customer_id": "CUST-001"])
        }

        // The walkthrough's comment says "items, payment_method, etc." are missing. Decision: flow.yaml gives
        // payment_method (credit_card) and order_type (standard) defaults, so the missing required inputs
        // are items, payment_details and shipping_address.
        #expect(error?.problems.map(\.input) == ["items", "payment_details", "shipping_address"])
        #expect(error?.problems.allSatisfy { $0.kind == .missing } == true)
        #expect(error?.description.contains("Required input 'items' not provided") == true)
        #expect(scenario.mocks.allCalls.isEmpty, "no task ran")
        #expect(scenario.services.payments.attempts == 0)
    }

    /// `test_invalid_order_type`
    @Test func invalidOrderTypeTakesTheDefaultCaseReleasesTheStockAndExits() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services
        let inputs: FlowValue = [
            "customer_id": "CUST-001",
            "items": [["product_id": "PROD-100", "quantity": 1]],
            "payment_method": "credit_card",
            "payment_details": ["token": "tok_test"],
            // Decision: the walkthrough elides the address (`{...}`); the §5 tests' own address is used.
            "shipping_address": Walkthrough.testAddress,
            "order_type": "INVALID_TYPE",  // Not standard/express/bulk
        ]

        let run = try await scenario.run(inputs)

        // `assert result['success'] is False`. Decision: an `exit` ends the run successfully (terminated);
        // the order's failure is `outputs.success`, as in the inactive-customer test.
        expectTerminated(run, reason: "Invalid order type: INVALID_TYPE")
        expectOutput(run, "success", equals: false)
        // `assert 'invalid order type' in result['outputs'].get('error', '').lower()`. Decision: `error` is a
        // machine-readable code, `invalid_order_type` (clients and the example's other tests match on it),
        // so the walkthrough's words are matched with its underscores read as spaces; the human-readable
        // `message` contains them as written.
        let error = run.output("error")?.stringValue ?? ""
        #expect(error.lowercased().replacingOccurrences(of: "_", with: " ").contains("invalid order type"))
        expectOutput(run, "error", equals: "invalid_order_type")
        #expect(run.output("message")?.stringValue?.lowercased().contains("invalid order type") == true)
        // The default case: none of the three pricing tasks ran, the reserved stock was put back.
        for pricing in ["CalculateStandardPricing", "CalculateExpressPricing", "CalculateBulkPricing"] {
            expectNotCalled(scenario.mocks, pricing)
        }
        #expect(try scenario.mocks.call("ReleaseInventory", at: 0).stepId == "release_invalid_type")
        expectNotCalled(scenario.mocks, "ChargePayment")
        #expect(try await services.inventory.openReservations().isEmpty)
        #expect(try await services.stock("PROD-100") == [400])
    }
}

/// The walkthrough's requests outside the test listings: §4's `curl` body, which both READMEs send
/// verbatim, §6's watch-mode inputs, and §5's standard order as written, without an idempotency key.
@Suite(.shopDatabase) struct WalkthroughRequestTests {
    @Test(arguments: ["README.md", "Examples/OrderFulfillment/README.md"])
    func readmeSendsTheSection4RequestVerbatimAndItSucceeds(readme: String) async throws {
        let inputs = try Walkthrough.firstExecuteRequest(inMarkdownAt: readme)
        expectResult(inputs, equals: Walkthrough.section4Request)  // regardless of key order
        let scenario = try OrderScenario()

        let run = try await scenario.run(inputs)

        guard expectSuccess(run) else { return }
        #expect(run.status == .completed)
        expectOutput(run, "success", equals: true)
        expectOutput(run, "final_price", equals: 105.96)
        #expect(try await scenario.services.stock("PROD-001", "PROD-002") == [498, 299])
        #expect(scenario.services.payments.charges.map(\.idempotencyKey) == ["order-2024-001"])
    }

    @Test func section6WatchModeInputsPlaceAStandardOrder() async throws {
        let scenario = try OrderScenario()

        let run = try await scenario.run(Walkthrough.section6WatchInputs)

        guard expectSuccess(run) else { return }
        expectOutput(run, "success", equals: true)
        expectOutput(run, "final_price", equals: 100.96)
        #expect(scenario.services.payments.charges.map(\.idempotencyKey) == ["dev-test-001"])
        #expect(scenario.services.notifier.sent.map(\.recipient) == ["dev@example.com"])
    }

    /// §5 sends `payment_details: {"token": …}` with no idempotency key: the order goes through, its
    /// reservation and charge keyed by the execution (`<execution id>:reservation`, `<execution id>:charge`).
    @Test func section5OrderWithoutAnIdempotencyKeyIsChargedUnderAKeyDerivedFromItsExecution() async throws {
        let scenario = try OrderScenario()
        let services = scenario.services

        let run = try await scenario.run(Walkthrough.standardOrder)

        guard expectSuccess(run) else { return }
        expectOutput(run, "success", equals: true)
        expectOutput(run, "final_price", equals: 100.96)
        let executionId = run.result.executionId
        #expect(services.payments.charges.map(\.idempotencyKey) == ["\(executionId):charge"])
        expectOutput(run, "transaction_id", equals: .string(services.payments.charges.first?.transactionId ?? ""))
        // The reservation is the one its derived reference holds: asking again under it takes no more stock.
        let reservation = try #require(scenario.mocks.call("ReserveInventory", at: 0).output?["reservation_id"]?.stringValue)
        #expect(try await services.inventory.reserve(["PROD-100": 2, "PROD-200": 1], reference: "\(executionId):reservation") == reservation)
        #expect(try await services.stock("PROD-100", "PROD-200") == [398, 249])
    }
}
