import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct ReleaseInventoryTests {
    @Test func putsTheStockBack() async throws {
        let services = OrderServices.demo()
        let id = try await services.inventory.reserve(["PROD-002": 10])

        let result = try await SingleTask.result(ReleaseInventory.self, named: "ReleaseInventory", inputs: ["reservation_id": .string(id)], services: services)

        expectResult(result, equals: ["reservation_id": .string(id), "released": true])
        #expect(try await services.stock("PROD-002") == [300])
        #expect(try await services.inventory.openReservations().isEmpty)
    }

    @Test func releasingTwiceOrAfterShippingChangesNothing() async throws {
        let services = OrderServices.demo()
        let released = try await services.inventory.reserve(["PROD-002": 10])
        try await services.inventory.release(released)
        let shipped = try await services.inventory.reserve(["PROD-003": 4])
        try await services.inventory.commit(shipped)

        let again = try await SingleTask.result(ReleaseInventory.self, named: "ReleaseInventory", inputs: ["reservation_id": .string(released)], services: services)
        let late = try await SingleTask.result(ReleaseInventory.self, named: "ReleaseInventory", inputs: ["reservation_id": .string(shipped)], services: services)

        #expect(again["released"] == false)
        #expect(late["released"] == false)
        #expect(try await services.stock("PROD-002", "PROD-003") == [300, 196])
    }
}
