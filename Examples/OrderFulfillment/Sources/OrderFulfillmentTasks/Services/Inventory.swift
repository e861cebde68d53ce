import Synchronization

/// A product on sale.
public struct Product: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    public var unitPrice: Double

    public init(id: String, name: String, unitPrice: Double) {
        self.id = id
        self.name = name
        self.unitPrice = unitPrice
    }
}

/// Stock levels with reservations that really take stock away until released or committed.
public final class Inventory: Sendable {
    /// Why a reservation could not be made.
    public enum ReservationError: Error, Equatable, CustomStringConvertible {
        case unknownProduct(String)
        case insufficientStock(product: String, requested: Int, available: Int)
        /// The reference already holds a reservation for other quantities.
        case referenceReused(String)

        public var description: String {
            switch self {
            case .unknownProduct(let id): "unknown product \(id)"
            case .insufficientStock(let product, let requested, let available):
                "only \(available) of \(product) left, \(requested) requested"
            case .referenceReused(let reference):
                "order reference \(reference) already holds a reservation for different items"
            }
        }
    }

    private struct State {
        var products: [String: Product]
        var stock: [String: Int]
        /// Open reservations: stock taken out and not yet shipped or released.
        var reservations: [String: [String: Int]] = [:]
        /// Reservations whose stock has left the warehouse; they can no longer be released.
        var committed: [String: [String: Int]] = [:]
        /// The live (open or committed) reservation of each order reference.
        var byReference: [String: String] = [:]
        var nextReservation = 1
    }

    private let state: Mutex<State>

    public init(products: [Product], stock: [String: Int]) {
        state = Mutex(State(products: Dictionary(uniqueKeysWithValues: products.map { ($0.id, $0) }), stock: stock))
    }

    public func product(id: String) -> Product? { state.withLock { $0.products[id] } }

    /// Units on hand and not reserved.
    public func available(_ productId: String) -> Int { state.withLock { $0.stock[productId] ?? 0 } }

    /// Takes the quantities out of stock under one reservation, all or nothing.
    ///
    /// With a `reference` (the order's idempotency key, or one derived from its execution when the client
    /// sent none) a repeated request returns the reservation the reference already holds instead of taking
    /// the stock twice; once that reservation is released, the reference can reserve again.
    public func reserve(_ lines: [String: Int], reference: String? = nil) throws(ReservationError) -> String {
        try state.withLock { (state: inout State) throws(ReservationError) -> String in
            if let reference, let existing = state.byReference[reference] {
                guard (state.reservations[existing] ?? state.committed[existing]) == lines else { throw .referenceReused(reference) }
                return existing
            }
            for (product, quantity) in lines {
                guard state.products[product] != nil else { throw .unknownProduct(product) }
                let available = state.stock[product] ?? 0
                guard available >= quantity else {
                    throw .insufficientStock(product: product, requested: quantity, available: available)
                }
            }
            for (product, quantity) in lines { state.stock[product, default: 0] -= quantity }
            let id = "RES-\(state.nextReservation)"
            state.nextReservation += 1
            state.reservations[id] = lines
            if let reference { state.byReference[reference] = id }
            return id
        }
    }

    /// Puts a reservation's stock back; false when it is unknown or already released.
    @discardableResult
    public func release(_ reservationId: String) -> Bool {
        state.withLock { state in
            guard let lines = state.reservations.removeValue(forKey: reservationId) else { return false }
            for (product, quantity) in lines { state.stock[product, default: 0] += quantity }
            state.byReference = state.byReference.filter { $0.value != reservationId }
            return true
        }
    }

    /// Marks a reservation's stock as shipped: it stays out of stock for good and can no longer be released.
    /// False when the reservation is not open.
    @discardableResult
    public func commit(_ reservationId: String) -> Bool {
        state.withLock { state in
            guard let lines = state.reservations.removeValue(forKey: reservationId) else { return false }
            state.committed[reservationId] = lines
            return true
        }
    }

    /// Reservations whose stock has shipped.
    public var committedReservations: [String] { state.withLock { Array($0.committed.keys).sorted() } }

    /// Reservations still holding stock.
    public var openReservations: [String] { state.withLock { Array($0.reservations.keys).sorted() } }

    /// The demo catalogue: the shop's own products, the walkthrough's `PROD-100` and `PROD-200` (part 3,
    /// §5 and §6), and ``deskAccessories`` so that `PROD-000` … `PROD-049`, the 50 products of the
    /// walkthrough's large bulk order, all exist.
    public static func demo() -> Inventory {
        var products = [
            Product(id: "PROD-001", name: "Wireless Mouse", unitPrice: 29.99),
            Product(id: "PROD-002", name: "Mechanical Keyboard", unitPrice: 39.99),
            Product(id: "PROD-003", name: "USB-C Hub", unitPrice: 49.99),
            Product(id: "PROD-004", name: "27-inch Monitor", unitPrice: 249.99),
            Product(id: "PROD-005", name: "Laptop Stand", unitPrice: 34.99),
            Product(id: "PROD-OOS", name: "Sold-out Widget", unitPrice: 9.99),
            Product(id: "PROD-100", name: "Bluetooth Headset", unitPrice: 24.99),
            Product(id: "PROD-200", name: "HD Webcam", unitPrice: 44.99),
        ]
        var stock = [
            "PROD-001": 500, "PROD-002": 300, "PROD-003": 200, "PROD-004": 25, "PROD-005": 150, "PROD-OOS": 0,
            "PROD-100": 400, "PROD-200": 250,
        ]
        for product in deskAccessories {
            products.append(product)
            stock[product.id] = 100
        }
        return Inventory(products: products, stock: stock)
    }

    /// `PROD-000` and `PROD-006` … `PROD-049`: desk accessories at 9.99, 100 of each in the demo stock.
    public static let deskAccessories: [Product] = ([0] + Array(6...49)).map { number in
        let digits = String(number)
        let id = "PROD-" + String(repeating: "0", count: 3 - digits.count) + digits
        return Product(id: id, name: "Desk Accessory No. \(number)", unitPrice: 9.99)
    }
}
