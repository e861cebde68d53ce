import FlowCore

/// The payments the shop has taken, by idempotency key, in its database: what lets a retried or repeated order
/// charge once even after a restart, or on another server, when the gateway's own memory does not reach.
public struct PaymentLedger: Sendable {
    /// A payment the gateway accepted.
    public struct Payment: Sendable, Equatable {
        public var idempotencyKey: String
        public var transactionId: String
        public var amount: Double
        public var refunded: Bool
    }

    let shop: Shop

    /// The payment taken under `idempotencyKey`, if any.
    public func payment(idempotencyKey: String) async throws -> Payment? {
        try await shop.rows("SELECT * FROM payments WHERE idempotency_key = ?", [.string(idempotencyKey)]).first.map(Self.payment(from:))
    }

    /// Every payment, by transaction.
    public func payments() async throws -> [Payment] {
        try await shop.rows("SELECT * FROM payments ORDER BY transaction_id").map(Self.payment(from:))
    }

    /// Records a payment; when the key already has one (another request got there first), returns that one.
    public func record(idempotencyKey: String, transactionId: String, amount: Double) async throws -> Payment {
        let results = try await shop.transaction([
            shop.statement(
                "INSERT INTO payments (idempotency_key, transaction_id, amount) VALUES (?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
                [.string(idempotencyKey), .string(transactionId), .double(amount)]
            ),
            shop.statement("SELECT * FROM payments WHERE idempotency_key = ?", [.string(idempotencyKey)]),
        ])
        guard let row = results.last?.rows?.first else {
            throw TaskError("payment \(transactionId) was not stored", type: "DatabaseError")
        }
        return Self.payment(from: row)
    }

    /// Marks the payment refunded; false when it is unknown or already refunded.
    @discardableResult
    public func markRefunded(transactionId: String) async throws -> Bool {
        let results = try await shop.transaction([
            shop.statement("UPDATE payments SET refunded = 1 WHERE transaction_id = ? AND refunded = 0", [.string(transactionId)])
        ])
        return results.first?.rowsAffected == 1
    }

    private static func payment(from row: FlowValue) -> Payment {
        Payment(
            idempotencyKey: row["idempotency_key"]?.stringValue ?? "",
            transactionId: row["transaction_id"]?.stringValue ?? "",
            amount: row["amount"]?.doubleValue ?? 0,
            refunded: (row["refunded"]?.intValue ?? 0) != 0
        )
    }
}
