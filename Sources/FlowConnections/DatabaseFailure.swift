import FlowCore
import FlowPostgres
import GRDB

/// Turns database errors into the step failures flows see: `DatabaseError` for a statement the database refused
/// (its message and SQLSTATE or SQLite code), `ConnectionError` when no connection could be had or it dropped
/// mid-statement, which `retry_on: [ConnectionError]` retries. Messages never contain a password: servers never
/// echo one, and connection errors name only the address.
enum DatabaseFailure {
    static let databaseErrorType = "DatabaseError"
    static let connectionErrorType = "ConnectionError"

    /// The step failure for a PostgreSQL error on connection `name`.
    static func postgres(_ error: any Error, connection name: String) -> any Error {
        if error is CancellationError || error is TaskError { return error }
        if PostgresFailure.isConnectionFailure(error) {
            return TaskError("connection '\(name)' failed: \(PostgresFailure.reason(error))", type: connectionErrorType)
        }
        return TaskError(PostgresFailure.reason(error), type: databaseErrorType)
    }

    /// The step failure for an SQLite error on connection `name`.
    static func sqlite(_ error: any Error, connection name: String) -> any Error {
        switch error {
        case is CancellationError, is TaskError:
            return error
        case let error as DatabaseError
        where error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_NOTADB:
            return TaskError(
                "connection '\(name)' cannot open its database: \(error.message ?? "\(error.resultCode)")",
                type: connectionErrorType)
        case let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT:
            return CancellationError()
        case let error as DatabaseError:
            // The message and code only: GRDB's description adds the statement's arguments, which may be secrets.
            return TaskError(
                "\(error.message ?? "SQLite error") (SQLite error \(error.extendedResultCode.rawValue))",
                type: databaseErrorType)
        default:
            return TaskError(String(describing: error), type: databaseErrorType)
        }
    }
}
