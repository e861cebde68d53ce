import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct SendConfirmationEmailTests {
    static func inputs(to: FlowValue) -> FlowValue {
        ["to": to, "order_id": "ORD-100001", "confirmation_code": "ABC234", "tracking_number": "TRK-ORD-100001-1"]
    }

    @Test func emailsTheConfirmation() async throws {
        let services = OrderServices.demo()

        let result = try await SingleTask.result(SendConfirmationEmail.self, named: "SendConfirmationEmail", inputs: Self.inputs(to: "ada@example.com"), services: services)

        expectResult(result, equals: ["message_id": "EMAIL-1", "sent": true])
        let message = try #require(services.notifier.sent.first)
        #expect(message.recipient == "ada@example.com")
        #expect(message.text.contains("ORD-100001") && message.text.contains("ABC234") && message.text.contains("TRK-ORD-100001-1"))
    }

    @Test func emailOutageFailsSoTheFlowCanFallBack() async throws {
        let services = OrderServices.demo()
        services.notifier.setDown("email")

        let run = try await SingleTask.run(SendConfirmationEmail.self, named: "SendConfirmationEmail", inputs: Self.inputs(to: "ada@example.com"), services: services)

        expectFailure(run, errorContains: "email service unavailable", type: "NotificationUnavailable")
    }

    @Test func customerWithoutAnEmailAddressFails() async throws {
        let run = try await SingleTask.run(SendConfirmationEmail.self, named: "SendConfirmationEmail", inputs: Self.inputs(to: nil))

        expectFailure(run, type: "NoEmailAddress")
    }
}
