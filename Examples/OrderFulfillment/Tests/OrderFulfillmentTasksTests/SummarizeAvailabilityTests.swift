import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct SummarizeAvailabilityTests {
    static func stock(_ product: String, _ name: String?, requested: Int, available: Int, price: Double) -> FlowValue {
        [
            "stock": [
                "product_id": .string(product), "name": FlowValue(name), "requested": .int(requested), "available": .int(available),
                "in_stock": .bool(available >= requested), "unit_price": .double(price),
            ]
        ]
    }

    @Test func mergesLinesOfTheSameProductAndAddsUpTheSubtotal() async throws {
        let checks: FlowValue = [
            Self.stock("PROD-001", "Wireless Mouse", requested: 2, available: 500, price: 29.99),
            Self.stock("PROD-002", "Mechanical Keyboard", requested: 1, available: 300, price: 39.99),
            Self.stock("PROD-001", "Wireless Mouse", requested: 1, available: 500, price: 29.99),
        ]

        let result = try await SingleTask.result(SummarizeAvailability.self, named: "SummarizeAvailability", inputs: ["checks": checks])

        #expect(result["all_available"] == true)
        #expect(result["unavailable"] == [])
        #expect(result["subtotal"]?.doubleValue == 129.96)
        let lines = try #require(result["lines"]?.arrayValue)
        #expect(lines.map { $0["product_id"] } == ["PROD-001", "PROD-002"])
        #expect(lines.map { $0["quantity"] } == [3, 1])
        #expect(lines.map { $0["line_total"]?.doubleValue } == [89.97, 39.99])
    }

    @Test func listsEveryProductShortOfStock() async throws {
        let checks: FlowValue = [
            Self.stock("PROD-001", "Wireless Mouse", requested: 2, available: 500, price: 29.99),
            Self.stock("PROD-OOS", "Sold-out Widget", requested: 1, available: 0, price: 9.99),
            Self.stock("PROD-404", nil, requested: 1, available: 0, price: 0),
        ]

        let result = try await SingleTask.result(SummarizeAvailability.self, named: "SummarizeAvailability", inputs: ["checks": checks])

        #expect(result["all_available"] == false)
        #expect(result["unavailable"] == ["PROD-OOS (requested 1, available 0)", "PROD-404 (requested 1, available 0)"])
    }

    @Test func checksWithoutAStockResultFailClearly() async throws {
        let run = try await SingleTask.run(SummarizeAvailability.self, named: "SummarizeAvailability", inputs: ["checks": [["other": 1]]])

        expectFailure(run, errorContains: "inventory check 1 has no stock result", type: "InvalidInventoryCheck")
    }
}
