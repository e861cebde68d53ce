import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct NotifyCancellationTests {
    @Test func emailsTheCustomer() async throws {
        let services = OrderServices.demo()

        let result = try await SingleTask.result(NotifyCancellation.self, named: "NotifyCancellation", inputs: ["customer_id": "CUST-12345"], services: services)

        expectResult(result, equals: ["notified": true, "channel": "email", "message_id": "EMAIL-1"])
        #expect(services.notifier.sent.first?.text.contains("cancelled") == true)
    }

    @Test func fallsBackToSMSAndNeverFails() async throws {
        let services = OrderServices.demo()
        services.notifier.setDown("email")

        let sms = try await SingleTask.result(NotifyCancellation.self, named: "NotifyCancellation", inputs: ["customer_id": "CUST-12345"], services: services)
        services.notifier.setDown("sms")
        let none = try await SingleTask.run(NotifyCancellation.self, named: "NotifyCancellation", inputs: ["customer_id": "CUST-12345"], services: services)
        let unknown = try await SingleTask.run(NotifyCancellation.self, named: "NotifyCancellation", inputs: ["customer_id": "CUST-NOBODY"], services: services)

        #expect(sms["channel"] == "sms")
        expectSuccess(none)
        #expect(none.output("result")?["notified"] == false)
        expectSuccess(unknown)
        #expect(unknown.output("result")?["notified"] == false)
    }
}
