/// Where a configuration value came from, shown by `flowlang serve --print-config`.
///
/// Precedence, highest first: a command-line flag, the process environment, a `.env` file, the default.
public enum ConfigurationSource: Sendable, Equatable, CustomStringConvertible {
    case flag
    case environment
    case dotEnv(path: String)
    case defaultValue

    public var description: String {
        switch self {
        case .flag: "flag"
        case .environment: "env"
        case .dotEnv(let path): ".env \(path)"
        case .defaultValue: "default"
        }
    }
}
