import FlowConnections
import FlowCore
import Synchronization

/// The shop's own records, kept in the flow's `db` connection: stock and its reservations (``Inventory``),
/// orders (``OrderBook``) and the payments taken (``PaymentLedger``).
///
/// The database is SQLite (`orders.db` beside flow.yaml) unless `DATABASE_URL` names a PostgreSQL server, and
/// every statement here runs on both: the records outlive a restart, and several servers sharing one
/// PostgreSQL database share them. The first task to open a database creates its tables and the demo
/// catalogue (``ShopSchema``).
///
/// Statements are written with `?` placeholders and contain no other question marks; ``statement(_:_:)``
/// numbers them for PostgreSQL.
public struct Shop: Sendable {
    public let database: any SQLDatabase

    /// The shop on the database of the task's step (`connection: db`), its tables created on first use.
    public static func open(_ context: TaskContext) async throws -> Shop {
        try await open(context.database())
    }

    /// The shop on `database`, its tables created and the demo catalogue seeded on first use.
    public static func open(_ database: any SQLDatabase) async throws -> Shop {
        try await ShopSchema.prepare(database)
        return Shop(database: database)
    }

    public var inventory: Inventory { Inventory(shop: self) }
    public var orders: OrderBook { OrderBook(shop: self) }
    public var payments: PaymentLedger { PaymentLedger(shop: self) }

    /// `sql` with its `?` placeholders written the way this database wants them.
    func statement(_ sql: String, _ parameters: [FlowValue] = []) -> SQLStatement {
        guard database.placeholderStyle == .numbered else { return SQLStatement(sql, parameters) }
        var numbered = ""
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                numbered += database.placeholder(index)
            } else {
                numbered.append(character)
            }
        }
        return SQLStatement(numbered, parameters)
    }

    /// The rows `sql` returns.
    func rows(_ sql: String, _ parameters: [FlowValue] = []) async throws -> [FlowValue] {
        let statement = statement(sql, parameters)
        return try await database.query(statement.sql, statement.parameters)
    }

    /// Runs `statements` in one transaction.
    @discardableResult
    func transaction(_ statements: [SQLStatement]) async throws -> [SQLStatementResult] {
        try await database.transaction(statements)
    }
}
