import OrderedCollections

/// An engine error during a run: bad reference, unmet dependency, non-list `for_each`, subflow failure.
///
/// `type` uses the original's names where it had one (`FlowExecutionError`), so clients show the same.
public struct FlowRunError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var type: String
    /// The step the error happened in.
    public var step: String?
    /// Whether trying again could help; false for structural problems such as a missing subflow.
    public var isRetryable: Bool
    /// Whether the error is a reference to a step that has not produced a result (yet).
    public var isMissingResult = false

    public init(_ message: String, type: String = "FlowExecutionError", step: String? = nil, isRetryable: Bool = true) {
        self.message = message
        self.type = type
        self.step = step
        self.isRetryable = isRetryable
    }

    public var description: String { message }

    static func reference(_ error: ResolutionError, step: String?, what: String) -> FlowRunError {
        let location = step.map { " in step '\($0)'" } ?? ""
        var runError = FlowRunError("\(error.message) (\(what)\(location))", type: "ReferenceError", step: step)
        runError.isMissingResult = error.kind == .unknownRoot
        return runError
    }
}

/// A step failure that ends the flow unless handled: the original error plus where and after how many attempts.
struct StepFailure: Error {
    var message: String
    var type: String
    var step: String
    var attempts: Int
}

/// Unwinds every enclosing construct when an `exit` step runs.
struct ExitSignal: Error {
    var reason: String
    var outputs: OrderedDictionary<String, FlowValue>
}
