import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct ValidateOrderItemsTests {
    static func validate(items: FlowValue, address: FlowValue = Orders.address, payment: FlowValue = ["token": "tok_1", "idempotency_key": "k"]) async throws -> FlowValue {
        try await SingleTask.result(
            ValidateOrderItems.self,
            named: "ValidateOrderItems",
            inputs: ["items": items, "shipping_address": address, "payment_details": payment]
        )
    }

    @Test func wellFormedOrderIsValid() async throws {
        let result = try await Self.validate(items: Orders.walkthroughItems)

        expectResult(result, equals: ["is_valid": true, "reason": "2 item(s) valid"])
    }

    @Test func everyProblemIsListed() async throws {
        let result = try await Self.validate(
            items: [["product_id": "PROD-001", "quantity": 0], ["product_id": "", "quantity": 2.5]],
            address: ["street": "1 Loop", "city": "Cupertino", "postal_code": "95014"],
            payment: ["token": "tok_1", "idempotency_key": ""]
        )

        #expect(result["is_valid"] == false)
        #expect(
            result["reason"]
                == """
                item 1: quantity must be at least 1, got 0; item 2: product_id must be a non-empty string; \
                item 2: quantity must be a whole number, got 2.5; shipping_address is missing country; \
                payment_details.idempotency_key must be a non-empty string, got ""
                """
        )
    }

    @Test func paymentDetailsWithoutAnIdempotencyKeyAreValid() async throws {
        let result = try await Self.validate(items: Orders.walkthroughItems, payment: ["token": "tok_1"])

        expectResult(result, equals: ["is_valid": true, "reason": "2 item(s) valid"])
    }

    @Test func paymentDetailsWithoutATokenAreRefused() async throws {
        let result = try await Self.validate(items: Orders.walkthroughItems, payment: ["idempotency_key": "k"])

        expectResult(result, equals: ["is_valid": false, "reason": "payment_details is missing token"])
    }

    @Test func tooManyItemsAreRefused() async throws {
        let items = FlowValue.array(Array(repeating: ["product_id": "PROD-001", "quantity": 1], count: 101))

        let result = try await Self.validate(items: items)

        #expect(result["reason"] == "the order has 101 items; at most 100 are allowed")
    }
}
