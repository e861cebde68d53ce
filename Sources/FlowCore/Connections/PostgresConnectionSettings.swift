/// A PostgreSQL server (`type: postgres` or `postgresql`), read from its `url`, `pool_size`, `min_pool_size` and
/// `timeout`.
///
/// The password never appears in ``redactedURL``, ``description`` or in any diagnostic.
public struct PostgresConnectionSettings: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Whether connections are encrypted, named as libpq's `sslmode` values.
    public enum TLSMode: String, Sendable, Hashable {
        /// Plain TCP (`sslmode` absent, `disable`, `allow` or `prefer`).
        case disable
        /// Encrypted, without checking the server's certificate.
        case require
        /// Encrypted, the certificate checked against the system's trusted authorities but not its host name.
        case verifyCA = "verify-ca"
        /// Encrypted, the certificate and host name checked.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    /// nil when the server does not ask for one (trust authentication).
    public var password: String?
    /// nil uses the database named after ``username``, as PostgreSQL does.
    public var database: String?
    public var tls: TLSMode
    /// The most connections the pool opens (`pool_size:`).
    public var poolSize: Int
    /// Connections the pool keeps open while idle (`min_pool_size:`).
    public var minPoolSize: Int
    /// How long opening a connection, and waiting for one from the pool, may take (`timeout:`).
    public var timeout: Duration

    public static let defaultPoolSize = 5
    public static let defaultTimeout: Duration = .seconds(10)

    public init(
        host: String,
        port: Int = 5432,
        username: String,
        password: String? = nil,
        database: String? = nil,
        tls: TLSMode = .disable,
        poolSize: Int = Self.defaultPoolSize,
        minPoolSize: Int = 0,
        timeout: Duration = Self.defaultTimeout
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.poolSize = max(1, poolSize)
        self.minPoolSize = min(max(0, minPoolSize), self.poolSize)
        self.timeout = timeout
    }

    /// The server as a URL with the password replaced by `****`, for messages and logs.
    public var redactedURL: String {
        let credentials = password == nil ? username : "\(username):****"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let path = database.map { "/" + $0 } ?? ""
        return "postgres://\(credentials)@\(hostPart):\(port)\(path)"
            + (tls == .disable ? "" : "?sslmode=\(tls.rawValue)")
    }

    public var description: String { redactedURL }
    public var debugDescription: String { redactedURL }
}

/// Dumped or mirrored, settings show only the redacted URL.
extension PostgresConnectionSettings: CustomReflectable {
    public var customMirror: Mirror { Mirror(self, children: ["url": redactedURL], displayStyle: .struct) }
}
