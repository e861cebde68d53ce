import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct ValidateCustomerTests {
    static func check(_ customer: FlowValue) async throws -> FlowValue {
        try await SingleTask.result(ValidateCustomer.self, named: "ValidateCustomer", inputs: ["customer": customer])
    }

    @Test func activeCustomerIsValid() async throws {
        let result = try await Self.check(["found": true, "customer_id": "CUST-12345", "status": "active", "email": "ada@example.com", "phone": nil])

        expectResult(result, equals: ["is_valid": true, "reason": "customer CUST-12345 is active"])
    }

    static let refused: [(FlowValue, String)] = [
        (["found": false, "customer_id": "CUST-X"], "customer CUST-X not found"),
        (["found": true, "customer_id": "CUST-INACTIVE", "status": "inactive", "email": "old@example.com"], "customer CUST-INACTIVE is inactive"),
        (["found": true, "customer_id": "CUST-S", "status": "suspended", "email": "s@example.com"], "customer CUST-S is suspended"),
        (
            ["found": true, "customer_id": "CUST-Q", "status": "active", "email": nil, "phone": ""],
            "customer CUST-Q has no email address or phone number for the confirmation"
        ),
    ]

    @Test(arguments: refused)
    func customerWhoMayNotOrderIsInvalidWithAReason(customer: FlowValue, reason: String) async throws {
        let result = try await Self.check(customer)

        expectResult(result, equals: ["is_valid": false, "reason": .string(reason)])
    }
}
