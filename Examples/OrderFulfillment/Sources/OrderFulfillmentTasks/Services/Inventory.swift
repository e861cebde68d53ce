import FlowCore
import Foundation

/// Stock levels with reservations that really take stock away until released or committed, in the shop's
/// database: a `CHECK (available >= 0)` keeps two orders from taking the same units, and a reservation's
/// `reference` is unique, so one order reference holds at most one live reservation, across servers too.
public struct Inventory: Sendable {
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

    let shop: Shop

    public func product(id: String) async throws -> Product? {
        let rows = try await shop.rows("SELECT id, name, unit_price FROM products WHERE id = ?", [.string(id)])
        guard let row = rows.first, let name = row["name"]?.stringValue, let price = row["unit_price"]?.doubleValue else { return nil }
        return Product(id: id, name: name, unitPrice: price)
    }

    /// Units on hand and not reserved.
    public func available(_ productId: String) async throws -> Int {
        try await shop.rows("SELECT available FROM stock WHERE product_id = ?", [.string(productId)]).first?["available"]?.intValue ?? 0
    }

    /// Takes the quantities out of stock under one reservation, all or nothing.
    ///
    /// With a `reference` (the order's idempotency key, or one derived from its execution when the client
    /// sent none) a repeated request returns the reservation the reference already holds instead of taking the
    /// stock twice; once that reservation is released, the reference can reserve again.
    ///
    /// - Throws: ``ReservationError``, or the database's error.
    public func reserve(_ lines: [String: Int], reference: String? = nil) async throws -> String {
        if let reference, let existing = try await reservation(reference: reference, lines: lines) { return existing }
        let products = lines.keys.sorted()
        for product in products {
            guard try await self.product(id: product) != nil else { throw ReservationError.unknownProduct(product) }
        }
        let id = "RES-" + UUID().uuidString.prefix(8)
        var statements = [
            shop.statement("INSERT INTO reservations (id, reference, status) VALUES (?, ?, 'open')", [.string(id), reference.map(FlowValue.string) ?? .null])
        ]
        // Products in one order everywhere, so concurrent reservations lock stock rows in the same order.
        for product in products {
            let quantity = FlowValue.int(lines[product] ?? 0)
            statements.append(
                shop.statement(
                    "INSERT INTO reservation_lines (reservation_id, product_id, quantity) VALUES (?, ?, ?)",
                    [.string(id), .string(product), quantity]
                )
            )
            statements.append(shop.statement("UPDATE stock SET available = available - ? WHERE product_id = ?", [quantity, .string(product)]))
        }
        do {
            try await shop.transaction(statements)
            return id
        } catch {
            // Another request took the reference first, or the stock: say which.
            if let reference, let existing = try await reservation(reference: reference, lines: lines) { return existing }
            for product in products {
                let available = try await available(product)
                let requested = lines[product] ?? 0
                if available < requested { throw ReservationError.insufficientStock(product: product, requested: requested, available: available) }
            }
            throw error
        }
    }

    /// The live reservation `reference` holds, when it holds one for exactly `lines`.
    private func reservation(reference: String, lines: [String: Int]) async throws -> String? {
        let rows = try await shop.rows(
            """
            SELECT r.id, l.product_id, l.quantity FROM reservations r JOIN reservation_lines l ON l.reservation_id = r.id \
            WHERE r.reference = ?
            """,
            [.string(reference)]
        )
        guard let id = rows.first?["id"]?.stringValue else { return nil }
        var held: [String: Int] = [:]
        for row in rows {
            if let product = row["product_id"]?.stringValue { held[product] = row["quantity"]?.intValue ?? 0 }
        }
        guard held == lines else { throw ReservationError.referenceReused(reference) }
        return id
    }

    /// Puts a reservation's stock back; false when it is unknown, already released or shipped.
    ///
    /// The first statement claims the reservation under a token of this call; the stock comes back only for
    /// the call whose token it holds, so two releases at once put it back once.
    @discardableResult
    public func release(_ reservationId: String) async throws -> Bool {
        let token = FlowValue.string(UUID().uuidString)
        let id = FlowValue.string(reservationId)
        let results = try await shop.transaction([
            shop.statement(
                "UPDATE reservations SET status = 'released', reference = NULL, released_by = ? WHERE id = ? AND status = 'open'",
                [token, id]
            ),
            shop.statement(
                """
                UPDATE stock SET available = available + (SELECT l.quantity FROM reservation_lines l \
                WHERE l.reservation_id = ? AND l.product_id = stock.product_id) \
                WHERE product_id IN (SELECT product_id FROM reservation_lines WHERE reservation_id = ?) \
                AND EXISTS (SELECT 1 FROM reservations WHERE id = ? AND released_by = ?)
                """,
                [id, id, id, token]
            ),
        ])
        return results.first?.rowsAffected == 1
    }

    /// Marks a reservation's stock as shipped: it stays out of stock for good and can no longer be released.
    /// False when the reservation is not open.
    @discardableResult
    public func commit(_ reservationId: String) async throws -> Bool {
        let results = try await shop.transaction([
            shop.statement("UPDATE reservations SET status = 'committed' WHERE id = ? AND status = 'open'", [.string(reservationId)])
        ])
        return results.first?.rowsAffected == 1
    }

    /// Reservations whose stock has shipped.
    public func committedReservations() async throws -> [String] { try await reservations(status: "committed") }

    /// Reservations still holding stock.
    public func openReservations() async throws -> [String] { try await reservations(status: "open") }

    private func reservations(status: String) async throws -> [String] {
        try await shop.rows("SELECT id FROM reservations WHERE status = ? ORDER BY id", [.string(status)]).compactMap { $0["id"]?.stringValue }
    }
}
