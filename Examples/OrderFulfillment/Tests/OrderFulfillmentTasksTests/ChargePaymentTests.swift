import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct ChargePaymentTests {
    /// The task's inputs; a `nil` key leaves `idempotency_key` out of `payment_details`.
    static func inputs(amount: Double = 105.96, token: String = "tok_visa_4242", key: String? = "order-1") -> FlowValue {
        let details: FlowValue = key.map { ["token": .string(token), "idempotency_key": .string($0)] } ?? ["token": .string(token)]
        return ["amount": .double(amount), "payment_method": "credit_card", "payment_details": details, "customer_id": "CUST-12345"]
    }

    @Test func chargesTheAmountOnce() async throws {
        let services = OrderServices.demo()

        let result = try await SingleTask.result(ChargePayment.self, named: "ChargePayment", inputs: Self.inputs(), services: services)

        expectResult(result, equals: ["amount_charged": 105.96, "status": "captured", "transaction_id": "TXN-100001"])
        #expect(services.payments.charges.map(\.amount) == [105.96])
    }

    @Test func theSameIdempotencyKeyReturnsTheFirstCharge() async throws {
        let services = OrderServices.demo()

        let first = try await SingleTask.result(ChargePayment.self, named: "ChargePayment", inputs: Self.inputs(), services: services)
        let second = try await SingleTask.result(ChargePayment.self, named: "ChargePayment", inputs: Self.inputs(), services: services)
        let other = try await SingleTask.result(ChargePayment.self, named: "ChargePayment", inputs: Self.inputs(key: "order-2"), services: services)

        #expect(first == second)
        #expect(other["transaction_id"] == "TXN-100002")
        #expect(services.payments.charges.count == 2)
    }

    @Test func withoutAKeyTheChargeIsKeyedByTheExecution() async throws {
        let services = OrderServices.demo()

        let first = try await SingleTask.run(ChargePayment.self, named: "ChargePayment", inputs: Self.inputs(key: nil), services: services)
        let second = try await SingleTask.run(ChargePayment.self, named: "ChargePayment", inputs: Self.inputs(key: nil), services: services)

        guard expectSuccess(first), expectSuccess(second) else { return }
        #expect(first.result.executionId != second.result.executionId)
        #expect(
            services.payments.charges.map(\.idempotencyKey) == ["\(first.result.executionId):charge", "\(second.result.executionId):charge"],
            "one charge per execution"
        )
    }

    @Test func aBlankKeyIsRefusedWithoutACharge() async throws {
        let services = OrderServices.demo()

        let run = try await SingleTask.run(ChargePayment.self, named: "ChargePayment", inputs: Self.inputs(key: " "), services: services)

        expectFailure(run, errorContains: "payment_details.idempotency_key must be a non-empty string", type: "InvalidTaskInput")
        #expect(services.payments.attempts == 0)
    }

    @Test func transientGatewayErrorsKeepTheirTypeForRetryOn() async throws {
        let services = OrderServices.demo()
        services.payments.failNext(1, type: "GatewayUnavailable")

        let run = try await SingleTask.run(ChargePayment.self, named: "ChargePayment", inputs: Self.inputs(), services: services)

        expectFailure(run, errorContains: "payment gateway unavailable", type: "GatewayUnavailable")
        #expect(services.payments.charges.isEmpty)
    }

    @Test func declinedCardFailsWithCardDeclined() async throws {
        let services = OrderServices.demo()

        let run = try await SingleTask.run(ChargePayment.self, named: "ChargePayment", inputs: Self.inputs(token: "tok_declined"), services: services)

        expectFailure(run, errorContains: "card declined by issuer", type: "CardDeclined")
        #expect(services.payments.charges.isEmpty)
    }

    @Test func reusingAKeyForAnotherAmountIsRefused() async throws {
        let services = OrderServices.demo()
        _ = try await SingleTask.result(ChargePayment.self, named: "ChargePayment", inputs: Self.inputs(), services: services)

        let run = try await SingleTask.run(ChargePayment.self, named: "ChargePayment", inputs: Self.inputs(amount: 1), services: services)

        expectFailure(run, errorContains: "idempotency key order-1 was already used", type: "IdempotencyKeyReused")
        #expect(services.payments.charges.count == 1)
    }

    @Test func flakyDemoTokenTimesOutTwiceThenSucceeds() async throws {
        let services = OrderServices.demo()
        var types: [String] = []

        for _ in 1...3 {
            let run = try await SingleTask.run(ChargePayment.self, named: "ChargePayment", inputs: Self.inputs(token: "tok_flaky_4242"), services: services)
            types.append(run.failure?.type ?? "captured")
        }

        #expect(types == ["GatewayTimeout", "GatewayTimeout", "captured"])
        #expect(services.payments.charges.count == 1)
    }
}
