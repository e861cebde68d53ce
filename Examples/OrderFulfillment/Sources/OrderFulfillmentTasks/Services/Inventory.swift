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

        public var description: String {
            switch self {
            case .unknownProduct(let id): "unknown product \(id)"
            case .insufficientStock(let product, let requested, let available):
                "only \(available) of \(product) left, \(requested) requested"
            }
        }
    }

    private struct State {
        var products: [String: Product]
        var stock: [String: Int]
        var reservations: [String: [String: Int]] = [:]
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
    public func reserve(_ lines: [String: Int]) throws(ReservationError) -> String {
        try state.withLock { (state: inout State) throws(ReservationError) -> String in
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
            return id
        }
    }

    /// Puts a reservation's stock back; false when it is unknown or already released.
    @discardableResult
    public func release(_ reservationId: String) -> Bool {
        state.withLock { state in
            guard let lines = state.reservations.removeValue(forKey: reservationId) else { return false }
            for (product, quantity) in lines { state.stock[product, default: 0] += quantity }
            return true
        }
    }

    /// Reservations still holding stock.
    public var openReservations: [String] { state.withLock { Array($0.reservations.keys).sorted() } }

    /// The demo catalogue.
    public static func demo() -> Inventory {
        Inventory(
            products: [
                Product(id: "PROD-001", name: "Wireless Mouse", unitPrice: 29.99),
                Product(id: "PROD-002", name: "Mechanical Keyboard", unitPrice: 39.99),
                Product(id: "PROD-003", name: "USB-C Hub", unitPrice: 49.99),
                Product(id: "PROD-OOS", name: "Sold-out Widget", unitPrice: 9.99),
            ],
            stock: ["PROD-001": 500, "PROD-002": 300, "PROD-003": 200, "PROD-OOS": 0]
        )
    }
}
