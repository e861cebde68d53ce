import FlowCore

/// The task `ReserveInventory`, called at step `reservation`.
///
/// Takes the order's quantities out of stock under one reservation, all or nothing, keyed by the order's
/// idempotency key: the same order sent again gets its first reservation back instead of taking the stock
/// twice. When the client sent no `payment_details.idempotency_key`, the key is `<execution id>:reservation`
/// (``PaymentDetails``): one reservation per execution. Fails with `OutOfStock` when another order took the
/// stock since the check.
enum ReserveInventory: FlowTask {
    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        /// Its optional `idempotency_key` names the reservation.
        var paymentDetails: PaymentDetails
        var lines: [OrderLine]

        enum CodingKeys: String, CodingKey {
            case paymentDetails = "payment_details"
            case lines
        }
    }

    /// One product held by the reservation.
    struct ReservedLine: Codable, Sendable, Equatable {
        var productId: String
        var quantity: Int

        enum CodingKeys: String, CodingKey {
            case productId = "product_id"
            case quantity
        }
    }

    /// The result fields flow.yaml reads (`${reservation.field}`).
    struct Output: Codable, Sendable {
        var reservationId: String
        var reserved: [ReservedLine]

        enum CodingKeys: String, CodingKey {
            case reservationId = "reservation_id"
            case reserved
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        var quantities: [String: Int] = [:]
        for line in input.lines { quantities[line.productId, default: 0] += line.quantity }
        let orderReference = try input.paymentDetails.idempotencyKey(for: .reservation, context: context)
        let inventory = try await Shop.open(context).inventory
        do {
            let id = try await inventory.reserve(quantities, reference: orderReference)
            context.logger.info("reserved stock", metadata: ["reservation_id": "\(id)", "order_reference": "\(orderReference)"])
            return Output(
                reservationId: id,
                reserved: input.lines.map { ReservedLine(productId: $0.productId, quantity: $0.quantity) }
            )
        } catch let error as Inventory.ReservationError {
            let type =
                switch error {
                case .unknownProduct: "UnknownProduct"
                case .insufficientStock: "OutOfStock"
                case .referenceReused: "IdempotencyKeyReused"
                }
            throw TaskError("could not reserve stock: \(error.description)", type: type)
        }
    }
}
