extension PostgresExecutionStore {
    /// Where the store's PostgreSQL server is and how to use it: usually read from a `DATABASE_URL` with
    /// ``init(url:)``.
    ///
    /// The password never appears in ``redactedURL`` or in any error message.
    public struct Configuration: Sendable, Equatable {
        /// The server's host name or IP address.
        public var host: String
        /// The server's TCP port.
        public var port: Int
        /// The user to connect as.
        public var username: String
        /// The user's password; nil when the server does not ask for one (trust authentication).
        public var password: String?
        /// The database; nil uses the one named after ``username``, as PostgreSQL does.
        public var database: String?
        /// Whether connections are encrypted and how the server's certificate is checked.
        public var tls: TLSMode
        /// The most connections the store opens (URL query `pool_size`). Keep it small: every server instance
        /// opens up to this many, and PostgreSQL allows 100 connections by default.
        public var poolSize: Int
        /// The schema holding the store's tables (URL query `schema`), created at ``PostgresExecutionStore/migrate()``
        /// when missing. Several stores in one database stay apart by using different schemas.
        public var schema: String
        /// How long opening one connection may take (URL query `connect_timeout`, in seconds).
        public var connectTimeout: Duration
        /// How long ``PostgresExecutionStore/checkReachable()`` waits for the pool to answer, and then for a
        /// connection of its own that says why it does not (default 2 s).
        public var reachabilityTimeout: Duration
        /// The name the server shows for the store's connections (`pg_stat_activity.application_name`).
        public var applicationName: String

        /// The default pool size: three instances and a fourth starting during a rolling update open at most 16
        /// connections together.
        public static let defaultPoolSize = 4

        /// A configuration with the defaults: no TLS, ``defaultPoolSize`` connections, the `public` schema.
        public init(
            host: String,
            port: Int = 5432,
            username: String,
            password: String? = nil,
            database: String? = nil,
            tls: TLSMode = .disable,
            poolSize: Int = Self.defaultPoolSize,
            schema: String = "public",
            connectTimeout: Duration = .seconds(10),
            reachabilityTimeout: Duration = .seconds(2),
            applicationName: String = "flowlang"
        ) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.tls = tls
            self.poolSize = max(1, poolSize)
            self.schema = schema
            self.connectTimeout = connectTimeout
            self.reachabilityTimeout = reachabilityTimeout
            self.applicationName = applicationName
        }

        /// The store as a URL with the password replaced by `****`, for messages and logs.
        public var redactedURL: String {
            let user = Self.percentEncoded(username)
            let credentials = password == nil ? user : "\(user):****"
            let hostPart = host.contains(":") ? "[\(host)]" : host
            let path = database.map { "/" + Self.percentEncoded($0) } ?? ""
            var query: [String] = []
            if poolSize != Self.defaultPoolSize { query.append("pool_size=\(poolSize)") }
            if tls != .disable { query.append("sslmode=\(tls)") }
            if schema != "public" { query.append("schema=\(Self.percentEncoded(schema))") }
            return "postgres://\(credentials)@\(hostPart):\(port)\(path)"
                + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        }

        /// `text` with the characters that have a meaning in a URL percent-encoded.
        static func percentEncoded(_ text: String) -> String {
            var encoded = ""
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                    UInt8(ascii: "~"):
                    encoded.append(Character(UnicodeScalar(byte)))
                default:
                    let hex = String(byte, radix: 16, uppercase: true)
                    encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
                }
            }
            return encoded
        }

        /// Whether connections are encrypted, named as libpq's `sslmode` values.
        public struct TLSMode: Sendable, Hashable, CustomStringConvertible {
            enum Mode: String, Sendable {
                case disable
                case require
                case verifyCA = "verify-ca"
                case verifyFull = "verify-full"
            }

            let mode: Mode

            /// Plain TCP (`sslmode` absent, `disable`, `allow` or `prefer`).
            public static let disable = Self(mode: .disable)
            /// Encrypted, without checking the server's certificate (`sslmode=require`, as libpq does).
            public static let require = Self(mode: .require)
            /// Encrypted, the certificate checked against the system's trusted authorities but not its host name.
            public static let verifyCA = Self(mode: .verifyCA)
            /// Encrypted, the certificate checked against the system's trusted authorities and the host name.
            public static let verifyFull = Self(mode: .verifyFull)

            /// The `sslmode` value.
            public var description: String { mode.rawValue }
        }
    }
}

/// Printed, logged or dumped, a configuration shows ``PostgresExecutionStore/Configuration/redactedURL``: never the
/// password.
extension PostgresExecutionStore.Configuration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable
{
    public var description: String { redactedURL }
    public var debugDescription: String { redactedURL }
    public var customMirror: Mirror { Mirror(self, children: ["url": redactedURL], displayStyle: .struct) }
}
