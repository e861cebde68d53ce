import FlowCore

/// The task `RefundPayment`, called at step `refund_unshippable` and by `on_cancel` once the order is paid.
///
/// Refunds the charge. A transaction that is unknown or already refunded is left alone (`refunded: false`),
/// so the cleanup can run more than once.
enum RefundPayment: FlowTask {
    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var transactionId: String
        var reason: String

        enum CodingKeys: String, CodingKey {
            case transactionId = "transaction_id"
            case reason
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> FlowValue {
        let refundedByGateway = OrderServices.current.payments.refund(transactionId: input.transactionId)
        let refunded = try await Shop.open(context).payments.markRefunded(transactionId: input.transactionId) || refundedByGateway
        context.logger.info(
            "refund",
            metadata: ["transaction_id": "\(input.transactionId)", "reason": "\(input.reason)", "refunded": "\(refunded)"]
        )
        return ["transaction_id": .string(input.transactionId), "refunded": .bool(refunded), "reason": .string(input.reason)]
    }
}
