import FlowCore

/// The task `NotifyCancellation`, the last step of `on_cancel`.
///
/// Tells the customer their order was cancelled, by email or else by SMS. Cleanup must not fail, so an
/// unknown customer or an unreachable one gives `notified: false` instead of an error.
enum NotifyCancellation: FlowTask {
    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var customerId: String

        enum CodingKeys: String, CodingKey {
            case customerId = "customer_id"
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> FlowValue {
        let services = OrderServices.current
        guard let customer = services.customers.customer(id: input.customerId) else {
            return ["notified": false, "reason": .string("customer \(input.customerId) not found")]
        }
        let text = "Your order was cancelled. Any payment taken has been refunded."
        for (channel, recipient) in [("email", customer.email), ("sms", customer.phone)] where !recipient.isEmpty {
            if let id = try? services.notifier.send(channel, to: recipient, text) {
                return ["notified": true, "channel": .string(channel), "message_id": .string(id)]
            }
        }
        services.notifier.recordFailure("customer \(customer.id): cancellation notice not delivered")
        return ["notified": false, "reason": "no channel reachable"]
    }
}
