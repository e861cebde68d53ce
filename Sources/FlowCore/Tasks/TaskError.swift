/// An error a task throws to fail with its own message and error type.
///
/// The type shows up as `error_type` in results and events, and `retry_on` / `no_retry_on` match it:
/// ```swift
/// throw TaskError("card declined", type: "PaymentDeclined")
/// ```
public struct TaskError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var type: String

    public init(_ message: String, type: String = "TaskError") {
        self.message = message
        self.type = type
    }

    public var description: String { message }
}

/// Turns any error a task throws into the message and type name that results and events report.
public enum ErrorDescription {
    /// A ``TaskError``'s own message and type, the engine's names for its own errors, otherwise the
    /// error's description and Swift type name.
    public static func of(_ error: any Error) -> (message: String, type: String) {
        switch error {
        case let error as TaskError: (error.message, error.type)
        case let error as TaskLookupError: (error.message, error.typeName)
        case let error as FlowRunError: (error.message, error.type)
        default: (String(describing: error), String(describing: Swift.type(of: error)))
        }
    }
}

/// Why a task cannot be called.
public enum TaskLookupError: Error, Sendable, Equatable {
    /// No task of that name is registered.
    case notFound(String)
    /// The task is registered as a stub.
    case notImplemented(String)

    public var message: String {
        switch self {
        case .notFound(let name): "Task '\(name)' not found in registry"
        case .notImplemented(let name):
            "Task '\(name)' is not implemented yet. Please implement this task before running the flow."
        }
    }

    /// The original's error type names, which clients display.
    public var typeName: String {
        switch self {
        case .notFound: "TaskNotFoundError"
        case .notImplemented: "NotImplementedTaskError"
        }
    }
}
