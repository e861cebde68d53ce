import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct CheckInventoryTests {
    @Test func reportsStockAgainstTheRequestedQuantity() async throws {
        let result = try await SingleTask.result(CheckInventory.self, named: "CheckInventory", inputs: ["product_id": "PROD-002", "quantity": 3])

        #expect(result["product_id"] == "PROD-002")
        #expect(result["name"] == "Mechanical Keyboard")
        #expect(result["requested"] == 3)
        #expect(result["available"] == 300)
        #expect(result["in_stock"] == true)
        #expect(result["unit_price"]?.doubleValue == 39.99)
    }

    @Test func stockHeldByAnotherOrderIsNotAvailable() async throws {
        let services = OrderServices.demo()
        _ = try await services.inventory.reserve(["PROD-004": 20])

        let result = try await SingleTask.result(CheckInventory.self, named: "CheckInventory", inputs: ["product_id": "PROD-004", "quantity": 6], services: services)

        #expect(result["available"] == 5)
        #expect(result["in_stock"] == false)
    }

    @Test func unknownProductIsNotInStock() async throws {
        let result = try await SingleTask.result(CheckInventory.self, named: "CheckInventory", inputs: ["product_id": "PROD-404", "quantity": 1])

        #expect(result["in_stock"] == false)
        #expect(result["name"] == .null)
    }
}
