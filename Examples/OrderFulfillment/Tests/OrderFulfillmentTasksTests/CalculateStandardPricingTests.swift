import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct CalculateStandardPricingTests {
    static func price(_ subtotal: Double, tier: String) async throws -> FlowValue {
        try await SingleTask.result(CalculateStandardPricing.self, named: "CalculateStandardPricing", inputs: ["subtotal": .double(subtotal), "tier": .string(tier)])
    }

    @Test func standardMemberPaysShippingUpTo100() async throws {
        let result = try await Self.price(99.97, tier: "standard")

        #expect(result["final_price"]?.doubleValue == 105.96)
        #expect(result["discount_applied"]?.doubleValue == 0)
        #expect(result["shipping_cost"]?.doubleValue == 5.99)
        #expect(result["estimated_delivery"] == "5-7 business days")
    }

    @Test func premiumMemberGets10PercentOffAndFreeShippingOver100() async throws {
        let result = try await Self.price(129.99, tier: "premium")

        // 13.00 off leaves 116.99: over 100, so shipping is free.
        #expect(result["discount_applied"]?.doubleValue == 13.00)
        #expect(result["shipping_cost"]?.doubleValue == 0)
        #expect(result["final_price"]?.doubleValue == 116.99)
    }

    @Test func theThresholdAppliesAfterTheDiscount() async throws {
        let result = try await Self.price(110.00, tier: "premium")

        // 11.00 off leaves 99.00, not over 100.
        #expect(result["shipping_cost"]?.doubleValue == 5.99)
        #expect(result["final_price"]?.doubleValue == 104.99)
    }
}
