import FlowCore

/// The task `CreateShipment`, called at step `shipment`.
///
/// Books the carrier for the order (express orders fly, the others go by ground) and commits the order's
/// reservation: the stock has left the warehouse and can no longer be released. Booking the same order
/// again returns its first shipment.
enum CreateShipment: FlowTask {
    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var orderId: String
        var address: FlowValue
        var lines: [OrderLine]
        var orderType: String

        enum CodingKeys: String, CodingKey {
            case orderId = "order_id"
            case address
            case lines
            case orderType = "order_type"
        }
    }

    /// The result fields flow.yaml reads (`${shipment.field}`).
    struct Output: Codable, Sendable {
        var trackingNumber: String
        var carrier: String
        var estimatedDelivery: String

        enum CodingKeys: String, CodingKey {
            case trackingNumber = "tracking_number"
            case carrier
            case estimatedDelivery = "estimated_delivery"
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        try context.checkCancellation()
        let services = OrderServices.current
        var address: [String: String] = [:]
        for (key, value) in input.address.objectValue ?? [:] {
            if let text = value.nonBlankString { address[key] = text }
        }
        let shipment: ShippingService.Shipment
        do {
            shipment = try services.shipping.book(orderId: input.orderId, address: address, express: input.orderType == "express")
        } catch {
            throw TaskError(error.description, type: "InvalidAddress")
        }
        let shop = try await Shop.open(context)
        if let reservationId = try await shop.orders.order(id: input.orderId)?.reservationId {
            try await shop.inventory.commit(reservationId)
        }
        context.logger.info(
            "shipment booked",
            metadata: ["order_id": "\(input.orderId)", "tracking_number": "\(shipment.trackingNumber)", "units": "\(input.lines.reduce(0) { $0 + $1.quantity })"]
        )
        return Output(trackingNumber: shipment.trackingNumber, carrier: shipment.carrier, estimatedDelivery: shipment.estimatedDelivery)
    }
}
