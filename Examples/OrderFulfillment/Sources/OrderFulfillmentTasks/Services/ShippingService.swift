import Synchronization

/// Books shipments and hands out tracking numbers.
public final class ShippingService: Sendable {
    public struct Shipment: Sendable, Equatable {
        public var trackingNumber: String
        public var orderId: String
        public var carrier: String
        public var estimatedDelivery: String
    }

    public struct AddressError: Error, Equatable, CustomStringConvertible {
        public var missing: [String]
        public var description: String { "shipping address is missing \(missing.joined(separator: ", "))" }
    }

    private let shipments = Mutex<[Shipment]>([])

    public init() {}

    public var booked: [Shipment] { shipments.withLock { $0 } }

    /// The address fields a shipment needs.
    public static let requiredAddressFields = ["street", "city", "postal_code", "country"]

    /// Books a shipment for the order; booking the same order again returns its first shipment.
    public func book(orderId: String, address: [String: String], express: Bool) throws(AddressError) -> Shipment {
        let missing = Self.requiredAddressFields.filter { (address[$0] ?? "").isEmpty }
        guard missing.isEmpty else { throw AddressError(missing: missing) }
        return shipments.withLock { shipments in
            if let existing = shipments.first(where: { $0.orderId == orderId }) { return existing }
            let shipment = Shipment(
                trackingNumber: "TRK-\(orderId)-\(shipments.count + 1)",
                orderId: orderId,
                carrier: express ? "FlowExpress Air" : "FlowPost Ground",
                estimatedDelivery: express ? "1-2 business days" : "5-7 business days"
            )
            shipments.append(shipment)
            return shipment
        }
    }
}
