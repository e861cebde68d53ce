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

/// The demo catalogue a new database is seeded with: the shop's own products, the walkthrough's `PROD-100`
/// and `PROD-200` (part 3, §5 and §6), and ``deskAccessories`` so that `PROD-000` … `PROD-049`, the 50
/// products of the walkthrough's large bulk order, all exist.
public enum Catalogue {
    public static let products = [
        Product(id: "PROD-001", name: "Wireless Mouse", unitPrice: 29.99),
        Product(id: "PROD-002", name: "Mechanical Keyboard", unitPrice: 39.99),
        Product(id: "PROD-003", name: "USB-C Hub", unitPrice: 49.99),
        Product(id: "PROD-004", name: "27-inch Monitor", unitPrice: 249.99),
        Product(id: "PROD-005", name: "Laptop Stand", unitPrice: 34.99),
        Product(id: "PROD-OOS", name: "Sold-out Widget", unitPrice: 9.99),
        Product(id: "PROD-100", name: "Bluetooth Headset", unitPrice: 24.99),
        Product(id: "PROD-200", name: "HD Webcam", unitPrice: 44.99),
    ] + deskAccessories

    /// Units in stock at the start, by product.
    public static let stock: [String: Int] = [
        "PROD-001": 500, "PROD-002": 300, "PROD-003": 200, "PROD-004": 25, "PROD-005": 150, "PROD-OOS": 0,
        "PROD-100": 400, "PROD-200": 250,
    ].merging(deskAccessories.map { ($0.id, 100) }) { first, _ in first }

    /// `PROD-000` and `PROD-006` … `PROD-049`: desk accessories at 9.99, 100 of each in the demo stock.
    public static let deskAccessories: [Product] = ([0] + Array(6...49)).map { number in
        let digits = String(number)
        let id = "PROD-" + String(repeating: "0", count: 3 - digits.count) + digits
        return Product(id: id, name: "Desk Accessory No. \(number)", unitPrice: 9.99)
    }
}
