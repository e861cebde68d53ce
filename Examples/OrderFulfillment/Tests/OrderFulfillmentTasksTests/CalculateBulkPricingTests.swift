import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct CalculateBulkPricingTests {
    static func price(units: Int, unitPrice: Double, tier: String = "standard") async throws -> FlowValue {
        let total = Double(units) * unitPrice
        let line: FlowValue = ["product_id": "PROD-001", "name": "Wireless Mouse", "quantity": .int(units), "unit_price": .double(unitPrice), "line_total": .double(total)]
        return try await SingleTask.result(
            CalculateBulkPricing.self,
            named: "CalculateBulkPricing",
            inputs: ["subtotal": .double(total), "lines": [line], "tier": .string(tier)]
        )
    }

    @Test(arguments: [(9, 0.0), (10, 5.0), (25, 10.0), (50, 15.0), (100, 20.0), (400, 20.0)])
    func discountGrowsWithTheUnitsOrdered(units: Int, percent: Double) async throws {
        let result = try await Self.price(units: units, unitPrice: 10)

        #expect(result["discount_applied"]?.doubleValue == Double(units) * 10 * percent / 100)
        #expect(result["shipping_cost"]?.doubleValue == 0)
    }

    @Test func premiumMembersGetFivePointsMore() async throws {
        let result = try await Self.price(units: 50, unitPrice: 29.99, tier: "premium")

        // 1499.50 at 20% = 299.90 off.
        #expect(result["discount_applied"]?.doubleValue == 299.90)
        #expect(result["final_price"]?.doubleValue == 1199.60)
    }
}
