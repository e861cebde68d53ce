import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct VerifyPaymentMethodTests {
    static func verify(_ method: String, _ details: FlowValue) async throws -> FlowValue {
        try await SingleTask.result(VerifyPaymentMethod.self, named: "VerifyPaymentMethod", inputs: ["payment_method": .string(method), "payment_details": details])
    }

    @Test func acceptedMethodWithAGatewayTokenIsValid() async throws {
        let result = try await Self.verify("debit_card", ["token": "tok_visa_4242", "idempotency_key": "k"])

        expectResult(result, equals: ["reason": "debit_card token accepted", "valid": true])
    }

    static let refused: [(method: String, details: FlowValue, reason: String)] = [
        ("bitcoin", ["token": "tok_visa_4242"], "payment method 'bitcoin' is not accepted; use credit_card, debit_card, paypal"),
        ("credit_card", [:], "payment_details.token is missing"),
        ("credit_card", ["token": "4242424242424242"], "payment token '4242424242424242' is not a gateway token (tok_…)"),
    ]

    @Test(arguments: refused)
    func otherMethodsAndTokensAreRefused(method: String, details: FlowValue, reason: String) async throws {
        let result = try await Self.verify(method, details)

        expectResult(result, equals: ["reason": .string(reason), "valid": false])
    }
}
