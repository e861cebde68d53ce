import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct CalculateExpressPricingTests {
    static func price(_ subtotal: Double, tier: String) async throws -> FlowValue {
        try await SingleTask.result(CalculateExpressPricing.self, named: "CalculateExpressPricing", inputs: ["subtotal": .double(subtotal), "tier": .string(tier)])
    }

    @Test func premiumMemberGets15PercentOffAndPaysExpressShipping() async throws {
        let result = try await Self.price(29.99, tier: "premium")

        #expect(result["discount_applied"]?.doubleValue == 4.50)
        #expect(result["shipping_cost"]?.doubleValue == 19.99)
        #expect(result["final_price"]?.doubleValue == 45.48)
        #expect(result["estimated_delivery"] == "1-2 business days")
    }

    @Test func expressShippingIsNeverFree() async throws {
        let result = try await Self.price(500, tier: "standard")

        #expect(result["discount_applied"]?.doubleValue == 0)
        #expect(result["shipping_cost"]?.doubleValue == 19.99)
        #expect(result["final_price"]?.doubleValue == 519.99)
    }
}
