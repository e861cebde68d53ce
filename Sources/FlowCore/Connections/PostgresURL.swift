import Foundation

/// A `postgres://USER:PASSWORD@HOST:PORT/DATABASE?NAME=VALUE&…` URL (or `postgresql://`) read into its parts: what
/// the PostgreSQL connections of flows (``PostgresConnectionSettings``) and the PostgreSQL execution store both
/// start from, each then taking the query parameters it knows.
///
/// User, password and database are percent-decoded and the port defaults to 5432. Query parameters are
/// percent-decoded too (`+` is a space) and kept in their order.
public struct PostgresURL: Sendable {
    public var host: String
    public var port: Int
    public var username: String
    /// nil when the URL has none (trust authentication).
    public var password: String?
    /// nil when the URL names none.
    public var database: String?
    /// The query parameters in order; a parameter without `=` has an empty value.
    public var parameters: [(name: String, value: String)]

    /// - Throws: the reason the URL cannot be read, in words that never contain the password.
    public init(_ url: String) throws(PostgresURLError) {
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
        let (hostPort, databasePath) = location[location.index(after: at)...].splitOnce("/")
        (host, port) = try Self.hostAndPort(hostPort)
        let (rawUser, rawPassword) = location[..<at].splitOnce(":")
        guard let username = rawUser.removingPercentEncoding, !username.isEmpty else {
            throw PostgresURLError("the user name is empty or badly encoded")
        }
        self.username = username
        if let rawPassword {
            guard let decoded = rawPassword.removingPercentEncoding else {
                throw PostgresURLError("the password is badly percent-encoded")
            }
            password = decoded
        }
        if let databasePath, !databasePath.isEmpty {
            guard let decoded = databasePath.removingPercentEncoding, !decoded.contains("/") else {
                throw PostgresURLError("the database name '\(databasePath)' is badly encoded or has a '/'")
            }
            database = decoded
        }
        parameters = (query ?? "").split(separator: "&").map { pair in
            let (name, value) = pair.splitOnce("=")
            return (
                name.removingPercentEncoding ?? String(name),
                value.flatMap { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding } ?? ""
            )
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

    package init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

extension Substring {
    /// The text before the first `separator` and, when there is one, the text after it.
    package func splitOnce(_ separator: Character) -> (Substring, Substring?) {
        guard let index = firstIndex(of: separator) else { return (self, nil) }
        return (self[..<index], self[self.index(after: index)...])
    }
}
