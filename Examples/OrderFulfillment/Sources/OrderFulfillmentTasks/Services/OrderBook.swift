import FlowCore

/// The shop's orders, in its database: one per payment, so a repeated request for a paid order finds the order
/// it already made. Order numbers come from the database (from 100001), so servers sharing it never repeat one.
public struct OrderBook: Sendable {
    /// An order that was paid for.
    public struct Order: Sendable, Equatable {
        public var orderId: String
        public var confirmationCode: String
        public var customerId: String
        public var reservationId: String
        public var transactionId: String
        public var total: Double
        public var orderType: String
    }

    let shop: Shop

    static let columns = "number, transaction_id, customer_id, reservation_id, total, order_type"

    /// Every order, oldest first.
    public func orders() async throws -> [Order] {
        try await shop.rows("SELECT \(Self.columns) FROM orders ORDER BY number").compactMap(Self.order(from:))
    }

    public func order(id: String) async throws -> Order? {
        guard id.hasPrefix("ORD-"), let number = Int(id.dropFirst(4)) else { return nil }
        return try await shop.rows("SELECT \(Self.columns) FROM orders WHERE number = ?", [.int(number)]).first.flatMap(Self.order(from:))
    }

    /// Records the order paid by `transactionId`; the same transaction again returns the order it made (and,
    /// checked first, takes no order number).
    public func create(customerId: String, reservationId: String, transactionId: String, total: Double, orderType: String) async throws -> Order {
        let results = try await shop.transaction([
            shop.statement(
                """
                INSERT INTO orders (transaction_id, customer_id, reservation_id, total, order_type) SELECT ?, ?, ?, ?, ? \
                WHERE NOT EXISTS (SELECT 1 FROM orders WHERE transaction_id = ?) ON CONFLICT (transaction_id) DO NOTHING
                """,
                [.string(transactionId), .string(customerId), .string(reservationId), .double(total), .string(orderType), .string(transactionId)]
            ),
            shop.statement("SELECT \(Self.columns) FROM orders WHERE transaction_id = ?", [.string(transactionId)]),
        ])
        guard let order = results.last?.rows?.first.flatMap(Self.order(from:)) else {
            throw TaskError("order for transaction \(transactionId) was not stored", type: "DatabaseError")
        }
        return order
    }

    private static func order(from row: FlowValue) -> Order? {
        guard let number = row["number"]?.intValue else { return nil }
        return Order(
            orderId: "ORD-\(number)",
            confirmationCode: confirmationCode(for: number),
            customerId: row["customer_id"]?.stringValue ?? "",
            reservationId: row["reservation_id"]?.stringValue ?? "",
            transactionId: row["transaction_id"]?.stringValue ?? "",
            total: row["total"]?.doubleValue ?? 0,
            orderType: row["order_type"]?.stringValue ?? ""
        )
    }

    /// Six letters and digits a customer can read out on the phone (no 0/O or 1/I), derived from the number.
    static func confirmationCode(for number: Int) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var value = UInt64(number) &* 0x9E37_79B9_7F4A_7C15
        var code = ""
        for _ in 0..<6 {
            code.append(alphabet[Int(value % UInt64(alphabet.count))])
            value /= UInt64(alphabet.count)
        }
        return code
    }
}
