import Foundation

extension PostgresConnectionSettings {
    /// Reads `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE` (or `postgresql://`).
    ///
    /// User, password and database are percent-decoded; the port defaults to 5432. The only query parameter
    /// is `sslmode` (`disable`, `allow` and `prefer` connect without TLS; `require`, `verify-ca`,
    /// `verify-full`): pool sizes and timeouts are keys of their own in `connections:`.
    ///
    /// - Throws: the reason the URL cannot be used, in words that never contain the password.
    public init(url: String) throws(PostgresURLError) {
        guard let separator = url.range(of: "://") else { throw PostgresURLError("it has no scheme (postgres://…)") }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresURLError("the scheme is '\(scheme)', not postgres or postgresql")
        }
        let (location, query) = url[separator.upperBound...].splitOnce("?")
        // The last '@' ends the credentials: a password may contain an unencoded '@'.
        guard let at = location.lastIndex(of: "@") else {
            throw PostgresURLError("it names no user (postgres://USER:PASSWORD@HOST/DATABASE)")
        }
        let userInfo = location[..<at]
        let (hostPort, databasePath) = location[location.index(after: at)...].splitOnce("/")
        let (host, port) = try Self.hostAndPort(hostPort)
        let (rawUser, rawPassword) = userInfo.splitOnce(":")
        guard let username = rawUser.removingPercentEncoding, !username.isEmpty else {
            throw PostgresURLError("the user name is empty or badly encoded")
        }
        var password: String?
        if let rawPassword {
            guard let decoded = rawPassword.removingPercentEncoding else {
                throw PostgresURLError("the password is badly percent-encoded")
            }
            password = decoded
        }
        var database: String?
        if let databasePath, !databasePath.isEmpty {
            guard let decoded = databasePath.removingPercentEncoding, !decoded.contains("/") else {
                throw PostgresURLError("the database name '\(databasePath)' is badly encoded or has a '/'")
            }
            database = decoded
        }
        self.init(host: host, port: port, username: username, password: password, database: database)
        for pair in (query ?? "").split(separator: "&") where !pair.isEmpty {
            let (name, value) = pair.splitOnce("=")
            guard name == "sslmode" else {
                // Only the name: the value might be a secret (libpq accepts `password=`).
                throw PostgresURLError(
                    "unknown parameter '\(name)' (known: sslmode; pool sizes and timeouts are keys of the connection)")
            }
            switch value ?? "" {
            case "disable", "allow", "prefer": tls = .disable
            case "require": tls = .require
            case "verify-ca": tls = .verifyCA
            case "verify-full": tls = .verifyFull
            default:
                throw PostgresURLError(
                    "sslmode '\(value ?? "")' is not one of disable, allow, prefer, require, verify-ca, verify-full")
            }
        }
    }

    private static func hostAndPort(_ text: Substring) throws(PostgresURLError) -> (String, Int) {
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw PostgresURLError("the IPv6 address has no closing ']'")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw PostgresURLError("unexpected '\(after)' after the host")
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else {
            throw PostgresURLError("it names no host (postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
        }
        guard let portText else { return (String(host), 5432) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw PostgresURLError("the port '\(portText)' is not a number from 1 to 65535")
        }
        return (String(host), port)
    }
}

/// Why a PostgreSQL URL cannot be used; the message never contains the password.
public struct PostgresURLError: Error, Sendable, CustomStringConvertible {
    public var reason: String

    init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

extension Substring {
    /// The text before the first `separator` and, when there is one, the text after it.
    fileprivate func splitOnce(_ separator: Character) -> (Substring, Substring?) {
        guard let index = firstIndex(of: separator) else { return (self, nil) }
        return (self[..<index], self[self.index(after: index)...])
    }
}
