/// A program to start as a child process: what, with which arguments, where and with which environment.
package struct ProcessCommand: Sendable, Equatable, CustomStringConvertible {
    /// The executable's path, or a name without a slash, looked up on the child's `PATH` (flowlang's own when the
    /// child's environment has none).
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

    /// The exit status, or 128 + the signal's number when a signal ended it, as shells report it.
    package var status: Int32 {
        switch self {
        case .exited(let status): status
        case .signalled(let signal): 128 + signal
        }
    }
}

/// Where a long-running child's standard output and standard error go.
package enum ProcessOutput: Sendable {
    /// To flowlang's own standard output and error, unchanged.
    case inherit
    /// Line by line (both streams, merged) to a handler, which may prefix, filter or collect them.
    case lines(@Sendable (String) -> Void)
}

/// How a program run to its end ended, and what it printed on each stream (each bounded, see
/// ``ChildProcess/run(_:outputLimit:onLine:)``).
package struct CommandResult: Sendable, Equatable {
    package var exit: ProcessExit
    package var standardOutput: String
    package var standardError: String

    package init(exit: ProcessExit, standardOutput: String, standardError: String = "") {
        self.exit = exit
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    /// Both streams, standard output first.
    package var output: String { standardOutput + standardError }

    /// The exit status as shells report it (``ProcessExit/status``).
    package var status: Int32 { exit.status }

    package var succeeded: Bool { exit == .exited(0) }
}
