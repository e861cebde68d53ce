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
        guard let separator = url.range(of: "://") else { throw invalid("it has no scheme (postgres://…)") }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw invalid("the scheme is '\(scheme)', not postgres or postgresql")
        }
        let rest = url[separator.upperBound...]
        let (location, query) = rest.splitOnce("?")
        // The last '@' ends the credentials: a password may contain an unencoded '@'.
        var userInfo: Substring?
        var hostAndPath = location
        if let at = location.lastIndex(of: "@") {
            userInfo = location[..<at]
            hostAndPath = location[location.index(after: at)...]
        }
        let (hostPort, databasePath) = hostAndPath.splitOnce("/")
        let (host, port) = try Self.hostAndPort(hostPort, invalid: invalid)
        guard let userInfo, !userInfo.isEmpty else {
            throw invalid("it names no user (postgres://USER:PASSWORD@HOST/DATABASE)")
        }
        let (rawUser, rawPassword) = userInfo.splitOnce(":")
        guard let username = rawUser.removingPercentEncoding, !username.isEmpty else {
            throw invalid("the user name is empty or badly encoded")
        }
        var password: String?
        if let rawPassword {
            guard let decoded = rawPassword.removingPercentEncoding else {
                throw invalid("the password is badly percent-encoded")
            }
            password = decoded
        }
        var database: String?
        if let databasePath, !databasePath.isEmpty {
            guard let decoded = databasePath.removingPercentEncoding, !decoded.contains("/") else {
                throw invalid("the database name '\(databasePath)' is badly encoded or has a '/'")
            }
            database = decoded
        }
        self.init(host: host, port: port, username: username, password: password, database: database)
        if let query { try apply(query: query, invalid: invalid) }
    }

    private static func hostAndPort(
        _ text: Substring,
        invalid: (String) -> PostgresStoreError
    ) throws(PostgresStoreError) -> (String, Int) {
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw invalid("the IPv6 address has no closing ']'") }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw invalid("unexpected '\(after)' after the host")
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { throw invalid("it names no host (postgres://USER:PASSWORD@HOST:PORT/DATABASE)") }
        guard let portText else { return (String(host), 5432) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw invalid("the port '\(portText)' is not a number from 1 to 65535")
        }
        return (String(host), port)
    }

    private mutating func apply(query: Substring, invalid: (String) -> PostgresStoreError) throws(PostgresStoreError) {
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let (rawName, rawValue) = pair.splitOnce("=")
            let name = rawName.removingPercentEncoding ?? String(rawName)
            let value = rawValue.flatMap { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding } ?? ""
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

extension Substring {
    /// The text before the first `separator` and, when there is one, the text after it.
    func splitOnce(_ separator: Character) -> (Substring, Substring?) {
        guard let index = firstIndex(of: separator) else { return (self, nil) }
        return (self[..<index], self[self.index(after: index)...])
    }
}
