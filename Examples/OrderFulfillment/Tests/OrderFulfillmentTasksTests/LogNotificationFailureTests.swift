import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct LogNotificationFailureTests {
    @Test func recordsTheUndeliveredConfirmation() async throws {
        let services = OrderServices.demo()

        let result = try await SingleTask.result(
            LogNotificationFailure.self,
            named: "LogNotificationFailure",
            inputs: ["order_id": "ORD-100001", "error": "sms service unavailable"],
            services: services
        )

        expectResult(result, equals: ["logged": true, "order_id": "ORD-100001", "error": "sms service unavailable"])
        #expect(services.notifier.failures == ["order ORD-100001: confirmation not delivered: sms service unavailable"])
    }
}
