public import FlowCore
import Foundation
public import GRDB

/// The pool behind one `type: sqlite` connection: a GRDB `DatabasePool` in WAL mode (one writer, concurrent
/// readers), with its leases counted for `/health` and `/metrics`.
///
/// A custom task gets it with `context.sqlite()`; GRDB interrupts a statement whose task is cancelled:
/// ```swift
/// registry.register("CountOrders") { _, context in
///     let pool = try await context.sqlite()
///     let count = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") ?? 0 }
///     return ["count": .int(count)]
/// }
/// ```
public final class SQLitePool: SQLDatabase {
    /// The connection's name in the flow.
    public let name: String
    public let settings: SQLiteConnectionSettings
    let database: DatabasePool
    let usage: PoolUsage

    /// Readers GRDB keeps besides its one writer.
    static let readerCount = 4

    init(name: String, settings: SQLiteConnectionSettings, usage: PoolUsage) throws {
        self.name = name
        self.settings = settings
        self.usage = usage
        var configuration = Configuration()
        configuration.maximumReaderCount = Self.readerCount
        configuration.busyMode = .timeout(
            TimeInterval(settings.timeout.components.seconds) + Double(settings.timeout.components.attoseconds) / 1e18)
        configuration.label = "flowlang.\(name)"
        do {
            let directory = (settings.database as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            database = try DatabasePool(path: settings.database, configuration: configuration)
        } catch {
            throw DatabaseFailure.sqlite(error, connection: name)
        }
    }

    /// Runs `body` on a reader connection; it sees the database as of the read's start.
    public func read<Result: Sendable>(_ body: @escaping @Sendable (Database) throws -> Result) async throws -> Result {
        let start = ContinuousClock.now
        let usage = usage
        do {
            return try await database.read { db in
                usage.acquired(after: .now - start)
                defer { usage.released() }
                return try body(db)
            }
        } catch {
            throw DatabaseFailure.sqlite(error, connection: name)
        }
    }

    /// Runs `body` on the writer in a transaction, committed when `body` returns and rolled back when it throws.
    public func write<Result: Sendable>(_ body: @escaping @Sendable (Database) throws -> Result) async throws -> Result
    {
        let start = ContinuousClock.now
        let usage = usage
        do {
            return try await database.write { db in
                usage.acquired(after: .now - start)
                defer { usage.released() }
                return try body(db)
            }
        } catch {
            throw DatabaseFailure.sqlite(error, connection: name)
        }
    }

    /// Runs one statement with `parameters` bound to its `?` placeholders, on a reader, and returns its rows as
    /// objects keyed by column name.
    public func query(_ sql: String, _ parameters: [FlowValue] = []) async throws -> [FlowValue] {
        let arguments = SQLiteValues.arguments(parameters)
        return try await read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(SQLiteValues.object(of:))
        }
    }

    public var placeholderStyle: SQLPlaceholderStyle { .questionMark }

    /// Runs one statement with `parameters` bound to its `?` placeholders, on the writer, and returns how many
    /// rows it changed.
    public func execute(_ sql: String, _ parameters: [FlowValue] = []) async throws -> Int {
        try await transaction([SQLStatement(sql, parameters)]).first?.rowsAffected ?? 0
    }

    /// Runs `statements` in order on the writer in one transaction, rolled back when one fails.
    public func transaction(_ statements: [SQLStatement]) async throws -> [SQLStatementResult] {
        try await write { db in
            try statements.map { statement in
                let prepared = try db.makeStatement(sql: statement.sql)
                prepared.arguments = SQLiteValues.arguments(statement.parameters)
                guard prepared.columnCount > 0 else {
                    try prepared.execute()
                    return SQLStatementResult(rowsAffected: db.changesCount, rows: nil)
                }
                let rows = try Row.fetchAll(prepared).map(SQLiteValues.object(of:))
                return SQLStatementResult(rowsAffected: prepared.isReadonly ? 0 : db.changesCount, rows: rows)
            }
        }
    }

    func close() {
        try? database.close()
        usage.closed()
    }

    var status: ConnectionStatus { usage.status }
}
