import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct CreateShipmentTests {
    static let lines: FlowValue = [["product_id": "PROD-001", "name": "Wireless Mouse", "quantity": 2, "unit_price": 29.99, "line_total": 59.98]]

    @Test func booksTheCarrierAndCommitsTheReservation() async throws {
        let services = OrderServices.demo()
        let reservation = try await services.inventory.reserve(["PROD-001": 2])
        let order = try await services.orders.create(customerId: "CUST-12345", reservationId: reservation, transactionId: "TXN-1", total: 65.97, orderType: "standard")

        let result = try await SingleTask.result(
            CreateShipment.self,
            named: "CreateShipment",
            inputs: ["order_id": .string(order.orderId), "address": Orders.address, "lines": Self.lines, "order_type": "standard"],
            services: services
        )

        expectResult(result, equals: ["carrier": "FlowPost Ground", "estimated_delivery": "5-7 business days", "tracking_number": "TRK-ORD-100001-1"])
        #expect(try await services.inventory.openReservations().isEmpty)
        #expect(try await services.inventory.committedReservations() == [reservation])
        #expect(try await services.inventory.release(reservation) == false, "shipped stock cannot be released")
    }

    @Test func expressOrdersFly() async throws {
        let result = try await SingleTask.result(
            CreateShipment.self,
            named: "CreateShipment",
            inputs: ["order_id": "ORD-9", "address": Orders.address, "lines": Self.lines, "order_type": "express"]
        )

        #expect(result["carrier"] == "FlowExpress Air")
        #expect(result["estimated_delivery"] == "1-2 business days")
    }

    @Test func incompleteAddressFails() async throws {
        let run = try await SingleTask.run(
            CreateShipment.self,
            named: "CreateShipment",
            inputs: ["order_id": "ORD-9", "address": ["street": "1 Main St", "city": "Springfield"], "lines": Self.lines, "order_type": "standard"]
        )

        expectFailure(run, errorContains: "shipping address is missing postal_code, country", type: "InvalidAddress")
    }
}
