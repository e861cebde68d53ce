extension PostgresConnectionSettings {
    /// Reads `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE` (or `postgresql://`, see ``PostgresURL``).
    ///
    /// The only query parameter is `sslmode` (`disable`, `allow` and `prefer` connect without TLS; `require`,
    /// `verify-ca`, `verify-full`): pool sizes and timeouts are keys of their own in `connections:`.
    ///
    /// - Throws: the reason the URL cannot be used, in words that never contain the password.
    public init(url: String) throws(PostgresURLError) {
        let parts = try PostgresURL(url)
        self.init(
            host: parts.host, port: parts.port, username: parts.username, password: parts.password,
            database: parts.database)
        for (name, value) in parts.parameters {
            guard name == "sslmode" else {
                // Only the name: the value might be a secret (libpq accepts `password=`).
                throw PostgresURLError(
                    "unknown parameter '\(name)' (known: sslmode; pool sizes and timeouts are keys of the connection)")
            }
            switch value {
            case "disable", "allow", "prefer": tls = .disable
            case "require": tls = .require
            case "verify-ca": tls = .verifyCA
            case "verify-full": tls = .verifyFull
            default:
                throw PostgresURLError(
                    "sslmode '\(value)' is not one of disable, allow, prefer, require, verify-ca, verify-full")
            }
        }
    }
}
