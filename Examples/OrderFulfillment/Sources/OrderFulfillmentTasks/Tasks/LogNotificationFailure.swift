import FlowCore

/// The task `LogNotificationFailure`, called when neither the email nor the SMS confirmation went out.
///
/// Logs a warning and records the failure with the notifier, for someone to follow up; it never fails.
enum LogNotificationFailure: FlowTask {
    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var orderId: FlowValue
        var error: FlowValue

        enum CodingKeys: String, CodingKey {
            case orderId = "order_id"
            case error
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> FlowValue {
        let order = input.orderId.stringValue ?? input.orderId.jsonText
        let message = input.error.stringValue ?? input.error.jsonText
        let entry = "order \(order): confirmation not delivered: \(message)"
        OrderServices.current.notifier.recordFailure(entry)
        context.logger.warning("\(entry)")
        return ["logged": true, "order_id": input.orderId, "error": .string(message)]
    }
}
