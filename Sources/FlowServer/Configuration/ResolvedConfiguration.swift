/// The effective configuration of `flowlang serve`, with where each value came from.
public struct ResolvedConfiguration: Sendable {
    /// One variable's effective value and its source.
    public struct Entry: Sendable, Equatable {
        public var variable: ConfigurationVariable
        /// The text that was used; nil when the variable is unset and has no default.
        public var value: String?
        public var source: ConfigurationSource
    }

    public var server: ServerConfiguration
    public var logging: LoggingConfiguration
    /// The database the execution store will use (`DATABASE_URL`); recorded for durable stores.
    public var databaseURL: String?
    /// Every variable in ``ConfigurationVariable/all`` order.
    public var entries: [Entry]

    /// Where `variable`'s value came from.
    public func source(of variable: ConfigurationVariable) -> ConfigurationSource {
        entries.first { $0.variable == variable }?.source ?? .defaultValue
    }

    /// The environment for a server this one starts as a child process (`flowlang serve` of a package, and
    /// the children of `serve --multi`): the process environment over the `.env` files' variables, with every
    /// setting given as a flag on top, so the child resolves to the same settings without secrets appearing
    /// on its command line.
    public var childEnvironment: [String: String] {
        var environment = server.environment
        for entry in entries where entry.source == .flag {
            environment[entry.variable.name] = entry.value
        }
        return environment
    }

    /// One `KEY=value  (source)` line per variable, secrets masked: what `--print-config` prints.
    public var printableLines: [String] {
        let shown = entries.map { entry in
            "\(entry.variable.name)=\(entry.value.map { entry.variable.masked($0) } ?? "")"
        }
        let width = shown.map(\.count).max() ?? 0
        return zip(shown, entries).map { text, entry in
            text + String(repeating: " ", count: width - text.count + 2) + "(\(entry.source))"
        }
    }
}
