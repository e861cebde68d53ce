import FlowCore

/// The task `SendConfirmationSMS`, called at step `sms` when the confirmation email could not be sent.
///
/// Texts a short confirmation. Fails with `NoPhoneNumber` or `NotificationUnavailable`; flow.yaml's
/// `on_error` then logs the failure, and the order still succeeds.
enum SendConfirmationSMS: FlowTask {
    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var phone: FlowValue
        var orderId: String
        var confirmationCode: String

        enum CodingKeys: String, CodingKey {
            case phone
            case orderId = "order_id"
            case confirmationCode = "confirmation_code"
        }
    }

    /// The result fields flow.yaml reads (`${sms.field}`).
    struct Output: Codable, Sendable {
        var sent: Bool
        var messageId: String

        enum CodingKeys: String, CodingKey {
            case sent
            case messageId = "message_id"
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        guard let phone = input.phone.nonBlankString else {
            throw TaskError("the customer has no phone number", type: "NoPhoneNumber")
        }
        do {
            let id = try OrderServices.current.notifier.send("sms", to: phone, "Order \(input.orderId) confirmed: \(input.confirmationCode)")
            return Output(sent: true, messageId: id)
        } catch {
            throw TaskError(error.description, type: "NotificationUnavailable")
        }
    }
}
