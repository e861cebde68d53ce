/// A child process that cannot be started, or a ``ProcessSupervisor`` asked to start a second one.
///
/// Every launch in FlowDevelopment reports a missing program the same way: code ``Code/programNotFound``, with a
/// message naming the program and where it was looked for.
package struct ChildProcessError: Error, Sendable, Equatable, CustomStringConvertible {
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: Sendable, Hashable {
            case programNotFound, noDirectory, cannotStart, running
        }

        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// No executable at the path, or no program of that name on `PATH`.
        package static let programNotFound = Code(.programNotFound)
        /// The working directory does not exist.
        package static let noDirectory = Code(.noDirectory)
        /// The system refused to start it (permissions, resources, …).
        package static let cannotStart = Code(.cannotStart)
        /// A supervisor's child is running already.
        package static let running = Code(.running)

        package var description: String { "\(kind)" }
    }

    package var code: Code
    /// What went wrong, naming the program: printed as it is.
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `program` (a path, or a name looked up on `PATH`) does not exist.
    package static func programNotFound(_ program: String) -> ChildProcessError {
        program.contains("/")
            ? ChildProcessError(.programNotFound, "cannot start \(program): no such executable")
            : ChildProcessError(.programNotFound, "\(program) is not on PATH")
    }

    package var description: String { message }
}
