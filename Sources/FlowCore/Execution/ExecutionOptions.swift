public import Foundation

/// Per-execution settings.
public struct ExecutionOptions: Sendable {
    /// The execution's id; a new UUID unless given.
    public var executionId: ExecutionID
    /// Who receives the execution's events, in order.
    public var observers: [any ExecutionObserver]
    /// Lets another task cancel the execution with a reason.
    public var cancellation: CancellationSignal?
    /// Task steps' outcomes kept by a durable store: steps it has are not run again (a resumed run).
    public var journal: (any StepJournal)?
    /// How long the execution already ran before this run resumed it; the flow's `timeout` counts it, so a
    /// deadline survives restarts.
    public var alreadyElapsed: Duration

    public init(
        executionId: ExecutionID = ExecutionID(rawValue: UUID().uuidString.lowercased()),
        observers: [any ExecutionObserver] = [],
        cancellation: CancellationSignal? = nil,
        journal: (any StepJournal)? = nil,
        alreadyElapsed: Duration = .zero
    ) {
        self.executionId = executionId
        self.observers = observers
        self.cancellation = cancellation
        self.journal = journal
        self.alreadyElapsed = alreadyElapsed
    }
}
