/// A configuration value that cannot be used: names the variable (or the `.env` file and line) and the value.
///
/// `description` reads `PORT: 'abc' is not a port (1–65535)`; the executable prints it and exits 2.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The variable at fault, e.g. `PORT`; nil for a `.env` syntax error, whose message names file and line.
    public var variable: String?
    public var message: String

    public init(variable: String?, message: String) {
        self.variable = variable
        self.message = message
    }

    public var description: String { variable.map { "\($0): \(message)" } ?? message }
}
