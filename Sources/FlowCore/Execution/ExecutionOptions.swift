public import Foundation

/// Per-execution settings.
public struct ExecutionOptions: Sendable {
    /// The execution's id; a new UUID unless given.
    public var executionId: String
    /// Who receives the execution's events, in order.
    public var observers: [any ExecutionObserver]
    /// Lets another task cancel the execution with a reason.
    public var cancellation: CancellationSignal?

    public init(
        executionId: String = UUID().uuidString.lowercased(),
        observers: [any ExecutionObserver] = [],
        cancellation: CancellationSignal? = nil
    ) {
        self.executionId = executionId
        self.observers = observers
        self.cancellation = cancellation
    }
}
