import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct CreateOrderTests {
    static func inputs(transaction: String) -> FlowValue {
        ["customer_id": "CUST-12345", "reservation_id": "RES-1", "transaction_id": .string(transaction), "total": 105.96, "order_type": "standard"]
    }

    @Test func recordsThePaidOrder() async throws {
        let services = OrderServices.demo()

        let result = try await SingleTask.result(CreateOrder.self, named: "CreateOrder", inputs: Self.inputs(transaction: "TXN-100001"), services: services)

        #expect(result["order_id"] == "ORD-100001")
        let code = try #require(result["confirmation_code"]?.stringValue)
        #expect(code.count == 6)
        #expect(try await services.orders.orders().map(\.transactionId) == ["TXN-100001"])
        #expect(try await services.orders.order(id: "ORD-100001")?.reservationId == "RES-1")
    }

    @Test func onePaymentMakesOneOrder() async throws {
        let services = OrderServices.demo()

        let first = try await SingleTask.result(CreateOrder.self, named: "CreateOrder", inputs: Self.inputs(transaction: "TXN-100001"), services: services)
        let again = try await SingleTask.result(CreateOrder.self, named: "CreateOrder", inputs: Self.inputs(transaction: "TXN-100001"), services: services)
        let next = try await SingleTask.result(CreateOrder.self, named: "CreateOrder", inputs: Self.inputs(transaction: "TXN-100002"), services: services)

        #expect(first == again)
        #expect(next["order_id"] == "ORD-100002")
        #expect(next["confirmation_code"] != first["confirmation_code"])
    }
}
