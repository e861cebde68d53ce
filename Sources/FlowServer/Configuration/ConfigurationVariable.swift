/// One setting of `flowlang serve`: its environment variable, its flag and how its value is shown.
///
/// Variable names carry no prefix (`HOST`, `PORT`) as FlowLang's deployment walkthrough uses them, except
/// `FLOWLANG_API_KEYS`, which would be too easy to set by accident.
public struct ConfigurationVariable: Hashable, Sendable, CustomStringConvertible {
    /// How `--print-config` shows a value.
    enum Masking: Sendable {
        /// Shown as is.
        case none
        /// Never shown: only how many comma-separated entries it has.
        case secretList
        /// A URL whose password (`user:password@`) and query are masked.
        case url
    }

    /// The environment variable, e.g. `PORT`.
    public let name: String
    /// The `flowlang serve` option, e.g. `--port`.
    public let flag: String
    /// The value used when nothing sets it; nil when unset means "off".
    public let defaultValue: String?
    let masking: Masking

    public var description: String { name }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    public static let host = Self(name: "HOST", flag: "--host", defaultValue: "127.0.0.1", masking: .none)
    public static let port = Self(name: "PORT", flag: "--port", defaultValue: "8000", masking: .none)
    public static let logLevel = Self(name: "LOG_LEVEL", flag: "--log-level", defaultValue: "info", masking: .none)
    public static let logFormat = Self(name: "LOG_FORMAT", flag: "--log-format", defaultValue: "text", masking: .none)
    public static let apiKeys = Self(
        name: "FLOWLANG_API_KEYS", flag: "--api-keys", defaultValue: nil, masking: .secretList)
    public static let rateLimit = Self(name: "RATE_LIMIT", flag: "--rate-limit", defaultValue: nil, masking: .none)
    public static let rateLimitBurst = Self(
        name: "RATE_LIMIT_BURST", flag: "--rate-limit-burst", defaultValue: nil, masking: .none)
    public static let maxBodyBytes = Self(
        name: "MAX_BODY_BYTES", flag: "--max-body-bytes", defaultValue: "1048576", masking: .none)
    public static let maxConcurrentExecutions = Self(
        name: "MAX_CONCURRENT_EXECUTIONS", flag: "--max-concurrent-executions", defaultValue: nil, masking: .none
    )
    public static let retentionCount = Self(
        name: "EXECUTION_RETENTION_COUNT", flag: "--execution-retention-count", defaultValue: "1000", masking: .none
    )
    public static let retentionSeconds = Self(
        name: "EXECUTION_RETENTION_SECONDS", flag: "--execution-retention-seconds", defaultValue: "3600", masking: .none
    )
    public static let corsAllowedOrigins = Self(
        name: "CORS_ALLOWED_ORIGINS", flag: "--cors-allowed-origins", defaultValue: nil, masking: .none
    )
    public static let otlpEndpoint = Self(
        name: "OTEL_EXPORTER_OTLP_ENDPOINT", flag: "--otlp-endpoint", defaultValue: nil, masking: .url)
    public static let databaseURL = Self(name: "DATABASE_URL", flag: "--database-url", defaultValue: nil, masking: .url)
    public static let shutdownGraceSeconds = Self(
        name: "SHUTDOWN_GRACE_SECONDS", flag: "--shutdown-grace-seconds", defaultValue: "30", masking: .none
    )
    public static let shutdownDrainSeconds = Self(
        name: "SHUTDOWN_DRAIN_SECONDS", flag: "--shutdown-drain-seconds", defaultValue: "0", masking: .none
    )
    public static let console = Self(name: "FLOWLANG_CONSOLE", flag: "--console", defaultValue: "on", masking: .none)

    /// Every variable, in the order `--print-config` lists them.
    public static let all: [ConfigurationVariable] = [
        host, port, logLevel, logFormat, apiKeys, rateLimit, rateLimitBurst, maxBodyBytes, maxConcurrentExecutions,
        retentionCount, retentionSeconds, corsAllowedOrigins, otlpEndpoint, databaseURL, shutdownGraceSeconds,
        shutdownDrainSeconds, console,
    ]

    /// `value` as `--print-config` shows it: secrets never appear.
    func masked(_ value: String) -> String {
        switch masking {
        case .none:
            return value
        case .secretList:
            let count = value.split(separator: ",").filter { !$0.trimmingWhitespace().isEmpty }.count
            return count == 0 ? "" : "****** (\(count) key\(count == 1 ? "" : "s"))"
        case .url:
            return Self.maskedURL(value)
        }
    }

    /// `scheme://user:****@host/path?****`: the password and query hidden, the rest kept for diagnosis.
    static func maskedURL(_ value: String) -> String {
        var text = Substring(value)
        var query = ""
        if let mark = text.firstIndex(of: "?") {
            query = "?****"
            text = text[..<mark]
        }
        guard let schemeEnd = text.firstRange(of: "://") else { return String(text) + query }
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = text[authorityStart...].firstIndex(of: "/") ?? text.endIndex
        let authority = text[authorityStart..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return String(text) + query }
        let userInfo = authority[..<at]
        let user = userInfo.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        let maskedUserInfo = userInfo.contains(":") ? "\(user):****" : "****"
        return String(text[..<authorityStart]) + maskedUserInfo + String(text[at...]) + query
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else {
            return ""
        }
        return String(self[first...last])
    }
}
