import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite struct ReleaseInventoryTests {
    @Test func putsTheStockBack() async throws {
        let services = OrderServices.demo()
        let id = try services.inventory.reserve(["PROD-002": 10])

        let result = try await SingleTask.result(ReleaseInventory.self, named: "ReleaseInventory", inputs: ["reservation_id": .string(id)], services: services)

        expectResult(result, equals: ["reservation_id": .string(id), "released": true])
        #expect(services.stock("PROD-002") == [300])
        #expect(services.inventory.openReservations.isEmpty)
    }

    @Test func releasingTwiceOrAfterShippingChangesNothing() async throws {
        let services = OrderServices.demo()
        let released = try services.inventory.reserve(["PROD-002": 10])
        services.inventory.release(released)
        let shipped = try services.inventory.reserve(["PROD-003": 4])
        services.inventory.commit(shipped)

        let again = try await SingleTask.result(ReleaseInventory.self, named: "ReleaseInventory", inputs: ["reservation_id": .string(released)], services: services)
        let late = try await SingleTask.result(ReleaseInventory.self, named: "ReleaseInventory", inputs: ["reservation_id": .string(shipped)], services: services)

        #expect(again["released"] == false)
        #expect(late["released"] == false)
        #expect(services.stock("PROD-002", "PROD-003") == [300, 196])
    }
}
