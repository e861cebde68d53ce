import Logging
import OrderedCollections

/// Turns flags, the environment and `.env` files into a validated ``ResolvedConfiguration``.
///
/// Pure: the executable reads the environment and the files and passes them in. For each variable the
/// first of these that sets it wins: a flag, the process environment, the `.env` files (the last one
/// given first), the default. A value that cannot be used throws an error naming the variable and the
/// value, e.g. `PORT: 'abc' is not a port (1–65535)`; secret values are never repeated in messages.
public struct ConfigurationResolver: Sendable {
    public init() {}

    /// - Parameters:
    ///   - flags: the values set on the command line, by variable.
    ///   - environment: the process environment.
    ///   - dotEnvFiles: parsed `.env` files, lowest precedence first.
    public func resolve(
        flags: [ConfigurationVariable: String] = [:],
        environment: [String: String] = [:],
        dotEnvFiles: [DotEnv] = []
    ) throws(ConfigurationError) -> ResolvedConfiguration {
        var entries: [ResolvedConfiguration.Entry] = []
        for variable in ConfigurationVariable.all {
            entries.append(Self.lookup(variable, flags: flags, environment: environment, dotEnvFiles: dotEnvFiles))
        }
        let values = Dictionary(uniqueKeysWithValues: entries.map { ($0.variable, $0.value) })
        let reader = ValueReader(values: values)

        var server = ServerConfiguration()
        server.host = try reader.host()
        server.port = try reader.port()
        server.apiKeys = try reader.apiKeys()
        server.rateLimit = try reader.rateLimit()
        server.maxBodyBytes = try reader.positiveInteger(.maxBodyBytes) ?? server.maxBodyBytes
        server.maxConcurrentExecutions = try reader.positiveInteger(.maxConcurrentExecutions)
        server.maxExecutionRecords = try reader.positiveInteger(.retentionCount) ?? server.maxExecutionRecords
        if let seconds = try reader.positiveInteger(.retentionSeconds) {
            server.executionRecordMaxAge = .seconds(seconds)
        }
        server.corsAllowedOrigins = try reader.origins()
        if let seconds = try reader.nonNegativeInteger(.shutdownGraceSeconds) {
            server.shutdownGracePeriod = .seconds(seconds)
        }
        if let seconds = try reader.nonNegativeInteger(.shutdownDrainSeconds) {
            server.shutdownDrainPeriod = .seconds(seconds)
        }
        if server.shutdownDrainPeriod > server.shutdownGracePeriod {
            throw ConfigurationError(
                variable: "SHUTDOWN_DRAIN_SECONDS",
                message:
                    "\(server.shutdownDrainPeriod.components.seconds) is longer than SHUTDOWN_GRACE_SECONDS (\(server.shutdownGracePeriod.components.seconds))"
            )
        }
        server.console = try reader.onOff(.console)
        var merged: [String: String] = [:]
        for file in dotEnvFiles { merged.merge(file.values.elements.map { ($0.key, $0.value) }) { $1 } }
        server.environment = merged.merging(environment) { $1 }

        let logging = LoggingConfiguration(
            level: try reader.logLevel(),
            format: try reader.logFormat(),
            otlpEndpoint: try reader.url(.otlpEndpoint, schemes: ["http", "https"])
        )
        let databaseURL =
            reader.text(.databaseURL) == "memory:" ? "memory:" : try reader.url(.databaseURL, schemes: nil)
        return ResolvedConfiguration(server: server, logging: logging, databaseURL: databaseURL, entries: entries)
    }

    private static func lookup(
        _ variable: ConfigurationVariable,
        flags: [ConfigurationVariable: String],
        environment: [String: String],
        dotEnvFiles: [DotEnv]
    ) -> ResolvedConfiguration.Entry {
        if let value = flags[variable] { return .init(variable: variable, value: value, source: .flag) }
        if let value = environment[variable.name] {
            return .init(variable: variable, value: value, source: .environment)
        }
        for file in dotEnvFiles.reversed() {
            if let value = file.values[variable.name] {
                return .init(variable: variable, value: value, source: .dotEnv(path: file.path))
            }
        }
        return .init(variable: variable, value: variable.defaultValue, source: .defaultValue)
    }
}

/// Reads and checks each variable's text; every error names the variable.
private struct ValueReader {
    let values: [ConfigurationVariable: String?]

    func text(_ variable: ConfigurationVariable) -> String? {
        values[variable].flatMap { $0 }.map { $0.trimmingWhitespace() }
    }

    func host() throws(ConfigurationError) -> String {
        let value = text(.host) ?? ""
        guard !value.isEmpty, !value.contains(where: \.isWhitespace) else {
            throw ConfigurationError(variable: "HOST", message: "'\(value)' is not a host name or address")
        }
        return value
    }

    func port() throws(ConfigurationError) -> Int {
        let value = text(.port) ?? ""
        guard let port = Int(value), (1...65535).contains(port) else {
            throw ConfigurationError(variable: "PORT", message: "'\(value)' is not a port (1–65535)")
        }
        return port
    }

    func logLevel() throws(ConfigurationError) -> Logger.Level {
        let value = (text(.logLevel) ?? "").lowercased()
        if value == "warn" { return .warning }
        guard let level = Logger.Level(rawValue: value) else {
            throw ConfigurationError(
                variable: "LOG_LEVEL",
                message: "'\(value)' is not a log level (trace, debug, info, notice, warning, error, critical)"
            )
        }
        return level
    }

    func logFormat() throws(ConfigurationError) -> LogFormat {
        let value = (text(.logFormat) ?? "").lowercased()
        guard let format = LogFormat(rawValue: value) else {
            throw ConfigurationError(variable: "LOG_FORMAT", message: "'\(value)' is not a log format (text or json)")
        }
        return format
    }

    /// `on` or `off` (also `true`/`false`, `1`/`0`, `yes`/`no`), any case.
    func onOff(_ variable: ConfigurationVariable) throws(ConfigurationError) -> Bool {
        let value = (text(variable) ?? variable.defaultValue ?? "").lowercased()
        switch value {
        case "on", "true", "1", "yes": return true
        case "off", "false", "0", "no": return false
        default: throw ConfigurationError(variable: variable.name, message: "'\(value)' is not on or off")
        }
    }

    func apiKeys() throws(ConfigurationError) -> APIKeySet {
        let keys = (text(.apiKeys) ?? "").split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        for (index, key) in keys.enumerated() where key.contains(where: \.isWhitespace) {
            throw ConfigurationError(variable: "FLOWLANG_API_KEYS", message: "key \(index + 1) contains whitespace")
        }
        return APIKeySet(keys)
    }

    func rateLimit() throws(ConfigurationError) -> RateLimit? {
        let value = text(.rateLimit) ?? ""
        let burst = try positiveInteger(.rateLimitBurst)
        if value.isEmpty || value.lowercased() == "off" {
            if burst != nil {
                throw ConfigurationError(variable: "RATE_LIMIT_BURST", message: "is set but RATE_LIMIT is not")
            }
            return nil
        }
        guard let rate = RateLimit.parse(value) else {
            throw ConfigurationError(
                variable: "RATE_LIMIT", message: "'\(value)' is not a rate (e.g. 100/s, 6000/min, 10/h, or off)")
        }
        return RateLimit(requests: rate.requests, per: rate.period, burst: burst)
    }

    func positiveInteger(_ variable: ConfigurationVariable) throws(ConfigurationError) -> Int? {
        guard let value = text(variable), !value.isEmpty else { return nil }
        guard let number = Int(value), number > 0 else {
            throw ConfigurationError(variable: variable.name, message: "'\(value)' is not a positive whole number")
        }
        return number
    }

    func nonNegativeInteger(_ variable: ConfigurationVariable) throws(ConfigurationError) -> Int? {
        guard let value = text(variable), !value.isEmpty else { return nil }
        guard let number = Int(value), number >= 0 else {
            throw ConfigurationError(
                variable: variable.name, message: "'\(value)' is not a whole number of seconds (0 or more)")
        }
        return number
    }

    func origins() throws(ConfigurationError) -> [String] {
        let origins = (text(.corsAllowedOrigins) ?? "").split(separator: ",").map { $0.trimmingWhitespace() }.filter {
            !$0.isEmpty
        }
        for origin in origins where origin != "*" {
            let separator = origin.firstRange(of: "://")
            let scheme = separator.map { origin[..<$0.lowerBound].lowercased() } ?? ""
            let authority = separator.map { origin[$0.upperBound...] } ?? ""
            let isOrigin = ["http", "https"].contains(scheme) && !authority.isEmpty && !authority.contains("/")
            guard isOrigin else {
                throw ConfigurationError(
                    variable: "CORS_ALLOWED_ORIGINS",
                    message: "'\(origin)' is not an origin (http(s)://host[:port], no path) or *"
                )
            }
        }
        return origins
    }

    /// A `scheme://…` URL; `schemes` nil accepts any scheme.
    func url(_ variable: ConfigurationVariable, schemes: Set<String>?) throws(ConfigurationError) -> String? {
        guard let value = text(variable), !value.isEmpty else { return nil }
        let scheme = value.firstRange(of: "://").map { value[..<$0.lowerBound].lowercased() } ?? ""
        let isURL = !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
        guard isURL, schemes?.contains(scheme) ?? true else {
            let expected = schemes.map { "an \($0.sorted().joined(separator: " or ")) URL" } ?? "a scheme://… URL"
            // A malformed URL may still hold a password or token: it is shown only when it plainly has none.
            let shown = value.contains("@") || value.contains("?") ? "the value (not shown)" : "'\(value)'"
            throw ConfigurationError(variable: variable.name, message: "\(shown) is not \(expected)")
        }
        return value
    }
}
