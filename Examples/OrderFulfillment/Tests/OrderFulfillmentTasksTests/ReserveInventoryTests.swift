import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct ReserveInventoryTests {
    static let lines: FlowValue = [
        ["product_id": "PROD-001", "name": "Wireless Mouse", "quantity": 2, "unit_price": 29.99, "line_total": 59.98],
        ["product_id": "PROD-004", "name": "27-inch Monitor", "quantity": 5, "unit_price": 249.99, "line_total": 1249.95],
    ]

    @Test func takesTheStockUnderOneReservation() async throws {
        let services = OrderServices.demo()

        let result = try await SingleTask.result(
            ReserveInventory.self, named: "ReserveInventory", inputs: ["payment_details": ["token": "tok_1", "idempotency_key": "order-1"], "lines": Self.lines], services: services
        )

        let id = try #require(result["reservation_id"]?.stringValue)
        #expect(result["reserved"] == [["product_id": "PROD-001", "quantity": 2], ["product_id": "PROD-004", "quantity": 5]])
        #expect(try await services.stock("PROD-001", "PROD-004") == [498, 20])
        #expect(try await services.inventory.openReservations() == [id])
    }

    @Test func theSameOrderReferenceReservesOnce() async throws {
        let services = OrderServices.demo()
        let inputs: FlowValue = ["payment_details": ["token": "tok_1", "idempotency_key": "order-1"], "lines": Self.lines]

        let first = try await SingleTask.result(ReserveInventory.self, named: "ReserveInventory", inputs: inputs, services: services)
        let second = try await SingleTask.result(ReserveInventory.self, named: "ReserveInventory", inputs: inputs, services: services)

        #expect(first["reservation_id"] == second["reservation_id"])
        #expect(try await services.stock("PROD-004") == [20])
    }

    @Test func withoutAKeyTheReservationIsKeyedByTheExecution() async throws {
        let services = OrderServices.demo()
        let inputs: FlowValue = ["payment_details": ["token": "tok_1"], "lines": Self.lines]

        let first = try await SingleTask.run(ReserveInventory.self, named: "ReserveInventory", inputs: inputs, services: services)
        let second = try await SingleTask.run(ReserveInventory.self, named: "ReserveInventory", inputs: inputs, services: services)

        let firstId = try #require(first.output("result")?["reservation_id"]?.stringValue)
        let secondId = try #require(second.output("result")?["reservation_id"]?.stringValue)
        #expect(firstId != secondId, "one reservation per execution")
        #expect(try await services.stock("PROD-004") == [15])
        // Each is the one its execution's key holds: asking again under that key takes no more stock.
        #expect(try await services.inventory.reserve(["PROD-001": 2, "PROD-004": 5], reference: "\(first.result.executionId):reservation") == firstId)
        #expect(try await services.stock("PROD-004") == [15])
    }

    @Test func notEnoughStockReservesNothing() async throws {
        let services = OrderServices.demo()
        _ = try await services.inventory.reserve(["PROD-004": 22])

        let run = try await SingleTask.run(
            ReserveInventory.self, named: "ReserveInventory", inputs: ["payment_details": ["token": "tok_1", "idempotency_key": "order-2"], "lines": Self.lines], services: services
        )

        expectFailure(run, errorContains: "only 3 of PROD-004 left, 5 requested", type: "OutOfStock")
        #expect(try await services.stock("PROD-001", "PROD-004") == [500, 3])
    }
}
