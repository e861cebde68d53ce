public import FlowCore

/// What custom tasks can do with either kind of database through FlowValues: queries, statements and
/// all-or-nothing transactions, with parameters always bound, never spliced into the SQL.
///
/// ``SQLitePool`` and ``PostgresPool`` both are one; `context.database()` gives the pool of the step's
/// `connection:` whichever it is, so a task can serve both databases when its SQL is portable. Write the
/// placeholders with ``placeholder(_:)``, since SQLite numbers none (`?`) and PostgreSQL numbers all (`$1`):
/// ```swift
/// let db = try await context.database()
/// let rows = try await db.query("SELECT available FROM stock WHERE product_id = \(db.placeholder(1))", [sku])
/// ```
/// Every method fails with a `TaskError` of type `DatabaseError` (the database's message and code) or
/// `ConnectionError`, as the built-in tasks do (docs/databases.md).
public protocol SQLDatabase: Sendable {
    /// The connection's name in the flow.
    var name: String { get }
    /// How this database writes the placeholder of the `index`th parameter (from 1).
    var placeholderStyle: SQLPlaceholderStyle { get }
    /// Runs one statement that reads and returns its rows as objects keyed by column name.
    func query(_ sql: String, _ parameters: [FlowValue]) async throws -> [FlowValue]
    /// Runs one statement and returns how many rows it changed.
    func execute(_ sql: String, _ parameters: [FlowValue]) async throws -> Int
    /// Runs `statements` in order in one transaction: all of their changes stay, or, when one fails (or the
    /// calling task is cancelled), none.
    func transaction(_ statements: [SQLStatement]) async throws -> [SQLStatementResult]
}

extension SQLDatabase {
    /// The placeholder of the `index`th parameter (from 1): `?` for SQLite, `$index` for PostgreSQL.
    public func placeholder(_ index: Int) -> String { placeholderStyle.text(index) }
}

/// How a database writes placeholders.
public enum SQLPlaceholderStyle: Sendable, Hashable {
    /// `?` (SQLite), bound in order.
    case questionMark
    /// `$1`, `$2`, … (PostgreSQL).
    case numbered

    /// The placeholder of the `index`th parameter (from 1).
    public func text(_ index: Int) -> String {
        switch self {
        case .questionMark: "?"
        case .numbered: "$\(index)"
        }
    }
}

/// One SQL statement and the values bound to its placeholders, in order.
public struct SQLStatement: Sendable, Hashable {
    public var sql: String
    public var parameters: [FlowValue]

    public init(_ sql: String, _ parameters: [FlowValue] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}

/// What one statement of a transaction did.
public struct SQLStatementResult: Sendable, Hashable {
    /// The rows it changed.
    public var rowsAffected: Int
    /// The rows it returned (a `SELECT` or `RETURNING`), or nil when it returns none.
    public var rows: [FlowValue]?

    public init(rowsAffected: Int, rows: [FlowValue]?) {
        self.rowsAffected = rowsAffected
        self.rows = rows
    }
}

extension TaskContext {
    /// The pool of connection `name`, or of the step's own `connection:` when `name` is nil, whichever kind of
    /// database it is.
    ///
    /// - Throws: a `TaskError` of type `ConnectionError` when there is no such connection or the executor has
    ///   no ``ConnectionPools``.
    public func database(_ name: String? = nil) async throws -> any SQLDatabase {
        let pool = try await connection(name)
        guard let database = pool as? any SQLDatabase else {
            throw TaskError(
                "connection '\(name ?? connectionName ?? "")' is not an SQL database", type: "ConnectionError")
        }
        return database
    }
}
