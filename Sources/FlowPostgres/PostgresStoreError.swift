/// Why a PostgreSQL execution store cannot be used, naming the store (never its password) and what to do.
public enum PostgresStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL cannot be read; `url` has its password masked.
    case invalidURL(url: String, reason: String)
    /// No connection to the server could be opened, or it was refused (wrong password, unknown database).
    case unreachable(store: String, reason: String)
    /// The store's schema and tables could not be created or brought up to date.
    case migrationFailed(store: String, schema: String, reason: String)
    /// A statement failed: `operation` says what the store was doing.
    case queryFailed(store: String, operation: String, reason: String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            "'\(url)' is not a usable PostgreSQL URL: \(reason); "
                + "expected postgres://USER:PASSWORD@HOST:PORT/DATABASE (optionally ?pool_size=N&sslmode=require&schema=NAME)"
        case .unreachable(let store, let reason):
            "cannot reach the execution store \(store): \(reason); check DATABASE_URL and that PostgreSQL is running"
        case .migrationFailed(let store, let schema, let reason):
            "cannot prepare the execution store \(store) (schema \(schema)): \(reason); "
                + "check that its user may create the schema or tables in it"
        case .queryFailed(let store, let operation, let reason):
            "the execution store \(store) failed to \(operation): \(reason)"
        }
    }
}
