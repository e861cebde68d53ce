public import FlowCore

/// This instance no longer holds the execution: its lease ran out and another instance claimed the run.
///
/// A store that shares runs between instances throws it when this instance journals a step of, or finishes, a
/// run it no longer holds; the run then stops here without its `on_cancel` (``FlowCore/CancellationSignal/handOver(reason:)``)
/// and goes on at the instance that holds it.
public struct LeaseLostError: Error, Sendable, CustomStringConvertible {
    public var executionId: ExecutionID
    /// The instance holding the run now, or nil when none does.
    public var owner: String?

    public init(executionId: ExecutionID, owner: String?) {
        self.executionId = executionId
        self.owner = owner
    }

    public var description: String {
        "execution \(executionId) is held by another instance (\(owner ?? "none")) since this one's lease ran out; "
            + "it goes on there, and its outcome here is not stored"
    }
}
