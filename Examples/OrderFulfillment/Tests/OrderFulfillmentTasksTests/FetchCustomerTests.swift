import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct FetchCustomerTests {
    @Test func knownCustomerIsReturnedWithTierAndContacts() async throws {
        let result = try await SingleTask.result(FetchCustomer.self, named: "FetchCustomer", inputs: ["customer_id": "CUST-PREMIUM"])

        expectResult(
            result,
            equals: [
                "customer_id": "CUST-PREMIUM", "email": "grace@example.com", "found": true, "name": "Grace Hopper",
                "phone": "+1-555-0101", "status": "active", "tier": "premium",
            ]
        )
    }

    @Test func unknownCustomerIsNotFoundRatherThanAnError() async throws {
        let run = try await SingleTask.run(FetchCustomer.self, named: "FetchCustomer", inputs: ["customer_id": "CUST-NOBODY"])

        expectSuccess(run)
        let result = try #require(run.output("result"))
        #expect(result["found"] == false)
        #expect(result["customer_id"] == "CUST-NOBODY")
        #expect(result["tier"] == .null)
    }
}
