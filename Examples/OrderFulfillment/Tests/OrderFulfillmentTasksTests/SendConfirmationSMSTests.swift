import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

// Written once by `flowlang scaffold`; `flowlang update` never changes it. Each test runs the task in a
// one-step flow (SingleTask) against fresh demo services.

@Suite(.shopDatabase) struct SendConfirmationSMSTests {
    static func inputs(phone: FlowValue) -> FlowValue {
        ["phone": phone, "order_id": "ORD-100001", "confirmation_code": "ABC234"]
    }

    @Test func textsTheConfirmation() async throws {
        let services = OrderServices.demo()

        let result = try await SingleTask.result(SendConfirmationSMS.self, named: "SendConfirmationSMS", inputs: Self.inputs(phone: "+1-555-0100"), services: services)

        expectResult(result, equals: ["message_id": "SMS-1", "sent": true])
        #expect(services.notifier.sent.map(\.recipient) == ["+1-555-0100"])
    }

    @Test func smsOutageOrMissingNumberFails() async throws {
        let services = OrderServices.demo()
        services.notifier.setDown("sms")

        let down = try await SingleTask.run(SendConfirmationSMS.self, named: "SendConfirmationSMS", inputs: Self.inputs(phone: "+1-555-0100"), services: services)
        let missing = try await SingleTask.run(SendConfirmationSMS.self, named: "SendConfirmationSMS", inputs: Self.inputs(phone: nil))

        expectFailure(down, errorContains: "sms service unavailable", type: "NotificationUnavailable")
        expectFailure(missing, type: "NoPhoneNumber")
    }
}
