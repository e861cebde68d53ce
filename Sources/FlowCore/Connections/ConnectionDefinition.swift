/// A database a flow declares under `connections:` (or its project under `settings.shared_connections`): its
/// name, what kind of database it is and how to reach it, with `${env.VAR}` already substituted.
///
/// Printed or logged, a definition never shows a password (see ``PostgresConnectionSettings/redactedURL``).
public struct ConnectionDefinition: Sendable, Hashable, CustomStringConvertible {
    /// The kinds of database this build supports, and their settings.
    public enum Kind: Sendable, Hashable {
        case sqlite(SQLiteConnectionSettings)
        case postgres(PostgresConnectionSettings)
    }

    /// The name steps give as `connection:`.
    public var name: String
    public var kind: Kind
    /// Where the connection is declared.
    public var location: SourceLocation

    public init(name: String, kind: Kind, location: SourceLocation) {
        self.name = name
        self.kind = kind
        self.location = location
    }

    /// `sqlite` or `postgres`.
    public var typeName: String {
        switch kind {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }

    /// What a pool is shared by: two flows declaring the same name with the same settings share one pool.
    public var poolKey: PoolKey { PoolKey(name: name, kind: kind) }

    /// The identity of one pool: a connection's name and settings, without where it is declared.
    public struct PoolKey: Sendable, Hashable {
        public var name: String
        public var kind: Kind
    }

    /// `db (postgres://app:****@db.internal:5432/orders)`, never with the password.
    public var description: String {
        switch kind {
        case .sqlite(let settings): "\(name) (sqlite \(settings.database))"
        case .postgres(let settings): "\(name) (\(settings.redactedURL))"
        }
    }

    /// The connection types `connections:` accepts.
    public static let supportedTypes = ["postgres", "postgresql", "sqlite"]
    /// Types the original FlowLang has that this build does not.
    public static let unsupportedTypes = ["airtable", "mongodb", "mysql", "redis"]
}

/// An SQLite database file (`type: sqlite`).
public struct SQLiteConnectionSettings: Sendable, Hashable {
    /// The database file; a relative path in the YAML is resolved against the declaring file's directory.
    public var database: String
    /// How long a statement waits for a lock held by another connection (`timeout:`, default 5 s).
    public var timeout: Duration

    public static let defaultTimeout: Duration = .seconds(5)

    public init(database: String, timeout: Duration = Self.defaultTimeout) {
        self.database = database
        self.timeout = timeout
    }
}
