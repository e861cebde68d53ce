/// A program to start as a child process: what, with which arguments, where and with which environment.
package struct ProcessCommand: Sendable, Equatable, CustomStringConvertible {
    /// The executable's path.
    package var executable: String
    package var arguments: [String]
    /// The child's working directory; `nil` keeps flowlang's own.
    package var workingDirectory: String?
    /// The child's whole environment; `nil` passes flowlang's own.
    package var environment: [String: String]?

    package init(
        executable: String, arguments: [String] = [], workingDirectory: String? = nil,
        environment: [String: String]? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.environment = environment
    }

    /// The command line, for messages.
    package var description: String { ([executable] + arguments).joined(separator: " ") }
}

/// How a child process ended.
package enum ProcessExit: Sendable, Equatable, CustomStringConvertible {
    /// It returned this status.
    case exited(Int32)
    /// A signal (its number) ended it.
    case signalled(Int32)

    package var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .signalled(let signal): "ended by signal \(signal)"
        }
    }
}

/// Where a child's standard output and standard error go.
package enum ProcessOutput: Sendable {
    /// To flowlang's own standard output and error, unchanged.
    case inherit
    /// Line by line (both streams, merged) to a handler, which may prefix, filter or collect them.
    case lines(@Sendable (String) -> Void)
    /// Standard output and standard error each to a file, replacing what it held, to be read once the child
    /// has ended. Files never fill up and block a chatty child the way an unread pipe would.
    case files(standardOutput: String, standardError: String)
}
