import FlowCore

/// The task `CreateOrder`, called at step `order` once the payment went through.
///
/// Records the paid order in the order book and hands out its order id and confirmation code. One payment
/// makes one order: the same transaction again returns the order it made.
enum CreateOrder: FlowTask {
    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var customerId: String
        var reservationId: String
        var transactionId: String
        var total: Double
        var orderType: String

        enum CodingKeys: String, CodingKey {
            case customerId = "customer_id"
            case reservationId = "reservation_id"
            case transactionId = "transaction_id"
            case total
            case orderType = "order_type"
        }
    }

    /// The result fields flow.yaml reads (`${order.field}`).
    struct Output: Codable, Sendable {
        var orderId: String
        var confirmationCode: String

        enum CodingKeys: String, CodingKey {
            case orderId = "order_id"
            case confirmationCode = "confirmation_code"
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        let order = try await Shop.open(context).orders.create(
            customerId: input.customerId,
            reservationId: input.reservationId,
            transactionId: input.transactionId,
            total: Money.amount(Money.cents(input.total)),
            orderType: input.orderType
        )
        return Output(orderId: order.orderId, confirmationCode: order.confirmationCode)
    }
}
