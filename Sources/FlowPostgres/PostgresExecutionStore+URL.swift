import FlowCore
import Foundation

extension PostgresExecutionStore.Configuration {
    /// The query parameters a URL may carry.
    static let queryParameters = ["pool_size", "sslmode", "schema", "connect_timeout", "application_name"]

    /// Reads `postgres://USER:PASSWORD@HOST:PORT/DATABASE?pool_size=N&sslmode=require&schema=NAME` (or
    /// `postgresql://`).
    ///
    /// User, password and database are percent-decoded. The port defaults to 5432 and the database to the
    /// user's name. Query parameters: `pool_size` (1–100, default 4), `sslmode` (`disable`, `allow` and `prefer`
    /// connect without TLS; `require` encrypts without checking the certificate; `verify-ca` and `verify-full`
    /// check it against the system's trusted authorities), `schema` (default `public`), `connect_timeout`
    /// (seconds, default 10) and `application_name`; any other parameter is refused, so a misspelt one is not
    /// silently ignored.
    ///
    /// - Throws: ``PostgresStoreError/invalidURL(url:reason:)`` naming the URL without its password.
    public init(url: String) throws(PostgresStoreError) {
        func invalid(_ reason: String) -> PostgresStoreError {
            .invalidURL(url: Self.redact(url), reason: reason)
        }
        let parts: PostgresURL
        do {
            parts = try PostgresURL(url)
        } catch {
            throw invalid(error.reason)
        }
        self.init(
            host: parts.host, port: parts.port, username: parts.username, password: parts.password,
            database: parts.database)
        for (name, value) in parts.parameters {
            switch name {
            case "pool_size":
                guard let size = Int(value), (1...100).contains(size) else {
                    throw invalid("pool_size '\(value)' is not a number from 1 to 100")
                }
                poolSize = size
            case "sslmode":
                switch value {
                case "disable", "allow", "prefer": tls = .disable
                case "require": tls = .require
                case "verify-ca": tls = .verifyCA
                case "verify-full": tls = .verifyFull
                default:
                    throw invalid(
                        "sslmode '\(value)' is not one of disable, allow, prefer, require, verify-ca, verify-full")
                }
            case "schema":
                guard !value.isEmpty, value.utf8.count <= 63 else {
                    throw invalid("schema '\(value)' is empty or longer than 63 bytes")
                }
                schema = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else {
                    throw invalid("connect_timeout '\(value)' is not a number of seconds above 0")
                }
                connectTimeout = .seconds(seconds)
            case "application_name":
                applicationName = value
            default:
                // Only the name: the value might be a secret (libpq accepts `password=`).
                throw invalid("unknown parameter '\(name)' (known: \(Self.queryParameters.joined(separator: ", ")))")
            }
        }
    }

    /// `url` with the password, and any `password=` query value, replaced by `****`: for messages about a URL
    /// that could not be read.
    static func redact(_ url: String) -> String {
        let (location, query) = url[...].splitOnce("?")
        var redacted = String(location)
        if let separator = location.range(of: "://"), let at = location.lastIndex(of: "@"), at > separator.upperBound {
            let userInfo = location[separator.upperBound..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                redacted = String(location[..<colon]) + ":****" + String(location[at...])
            }
        }
        guard let query else { return redacted }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let (name, value) = pair.splitOnce("=")
            return name.lowercased() == "password" && value != nil ? "\(name)=****" : String(pair)
        }
        return redacted + "?" + pairs.joined(separator: "&")
    }
}
