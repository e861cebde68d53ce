import FlowCore

/// The task `SendConfirmationEmail`, called at step `email`.
///
/// Emails the order confirmation. Fails with `NoEmailAddress` or `NotificationUnavailable`; flow.yaml's
/// `on_error` then falls back to SMS, so the order itself never fails here.
enum SendConfirmationEmail: FlowTask {
    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var to: FlowValue
        var orderId: String
        var confirmationCode: String
        var trackingNumber: String

        enum CodingKeys: String, CodingKey {
            case to
            case orderId = "order_id"
            case confirmationCode = "confirmation_code"
            case trackingNumber = "tracking_number"
        }
    }

    /// The result fields flow.yaml reads (`${email.field}`).
    struct Output: Codable, Sendable {
        var sent: Bool
        var messageId: String

        enum CodingKeys: String, CodingKey {
            case sent
            case messageId = "message_id"
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        guard let address = input.to.nonBlankString else {
            throw TaskError("the customer has no email address", type: "NoEmailAddress")
        }
        let text = "Order \(input.orderId) confirmed (code \(input.confirmationCode)); tracking number \(input.trackingNumber)."
        do {
            let id = try OrderServices.current.notifier.send("email", to: address, text)
            return Output(sent: true, messageId: id)
        } catch {
            throw TaskError(error.description, type: "NotificationUnavailable")
        }
    }
}
