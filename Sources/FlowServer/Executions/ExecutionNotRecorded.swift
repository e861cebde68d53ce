public import FlowCore

/// The store could not record a new execution, so it was not started: answering 202 for it would acknowledge a
/// run that a restart loses and whose status URL finds nothing. Why the store failed is in the log, not here:
/// its error may name hosts and users.
public struct ExecutionNotRecorded: Error, Sendable, CustomStringConvertible {
    public let executionId: ExecutionID

    public var description: String {
        "the execution store could not record the new execution, so it was not started; "
            + "try again once the store answers (GET /ready)"
    }
}
