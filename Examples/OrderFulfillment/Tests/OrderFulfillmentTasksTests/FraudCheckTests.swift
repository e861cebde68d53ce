import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct FraudCheckTests {
    static func check(amount: Double, country: FlowValue) async throws -> FlowValue {
        try await SingleTask.result(
            FraudCheck.self,
            named: "FraudCheck",
            inputs: ["customer_id": "CUST-12345", "amount": .double(amount), "shipping_address": ["country": country]]
        )
    }

    @Test func ordinaryOrderIsApproved() async throws {
        #expect(try await Self.check(amount: 105.96, country: "US") == ["approved": true, "risk_score": 5])
    }

    static let cases: [(amount: Double, country: FlowValue, score: Int, approved: Bool)] = [
        (4_000.0, "US", 30, true),
        (6_000.0, "us", 55, true),
        (600.0, "BR", 40, true),
        (6_000.0, "BR", 90, false),
        (1_500.0, "Narnia", 70, false),
        (1_500.0, nil, 70, false),
    ]

    @Test(arguments: cases)
    func riskGrowsWithAmountAndDestination(amount: Double, country: FlowValue, score: Int, approved: Bool) async throws {
        let result = try await Self.check(amount: amount, country: country)

        expectResult(result, equals: ["approved": .bool(approved), "risk_score": .int(score)])
    }
}
