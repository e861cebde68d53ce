import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct RefundPaymentTests {
    @Test func refundsTheChargeOnce() async throws {
        let services = OrderServices.demo()
        let charge = try services.payments.charge(amount: 45.48, token: "tok_visa_4242", idempotencyKey: "order-1")
        let inputs: FlowValue = ["transaction_id": .string(charge.transactionId), "reason": "cancelled"]

        let first = try await SingleTask.result(RefundPayment.self, named: "RefundPayment", inputs: inputs, services: services)
        let second = try await SingleTask.result(RefundPayment.self, named: "RefundPayment", inputs: inputs, services: services)

        expectResult(first, equals: ["transaction_id": .string(charge.transactionId), "refunded": true, "reason": "cancelled"])
        #expect(second["refunded"] == false)
        #expect(services.payments.charges.map(\.refunded) == [true])
    }

    @Test func unknownTransactionIsLeftAlone() async throws {
        let result = try await SingleTask.result(RefundPayment.self, named: "RefundPayment", inputs: ["transaction_id": "TXN-0", "reason": "cancelled"])

        #expect(result["refunded"] == false)
    }
}
