public import FlowCore

/// One call of a recorded task: who was called, with what, on which step and attempt, and when.
///
/// Calls are recorded by a ``TaskCallRecorder`` (usually through a ``MockTaskRegistry``):
/// ```swift
/// let charge = try mocks.call("ChargeCard", at: 0)
/// #expect(charge.inputs["amount"] == 42)
/// #expect(charge.attempt == 1)
/// #expect(charge.stepId == "charge")
/// ```
/// To check that two parallel calls really ran at the same time, compare their recorded intervals with
/// ``overlaps(_:)`` rather than measuring wall-clock time.
public struct RecordedTaskCall: Sendable, Equatable {
    /// How a finished call ended.
    public enum Outcome: Sendable, Equatable {
        /// The task returned this value.
        case returned(FlowValue)
        /// The task threw; `message` and `type` as results and events report them (a ``TaskError``'s own
        /// message and type, a lookup error's type name, otherwise the error's description and type name).
        case threw(message: String, type: String)
    }

    /// The call's position among all calls the recorder saw, from 0, in the order the calls started.
    public let sequence: Int
    /// The registered task name.
    public let taskName: String
    /// The step that made the call (its task name when the step has no id).
    public let stepId: StepID
    /// The execution the call belongs to.
    public let executionId: ExecutionID
    /// 1 for the first attempt, 2 for the first retry, and so on.
    public let attempt: Int
    /// The resolved inputs the task received, an object.
    public let inputs: FlowValue
    /// When the call started, on the continuous clock.
    public let startedAt: ContinuousClock.Instant
    /// When the call returned or threw; `nil` while it is still running.
    public internal(set) var endedAt: ContinuousClock.Instant?
    /// The call's start on the recorder's logical timeline, where every start and end gets the next number.
    ///
    /// Unlike instants, these numbers never tie and follow the real order of events exactly.
    public let startOrder: Int
    /// The call's end on the recorder's logical timeline; `nil` while it is still running.
    public internal(set) var endOrder: Int?
    /// What the call produced; `nil` while it is still running.
    public internal(set) var outcome: Outcome?

    /// Creates a record; recorders make these, tests rarely need to.
    public init(
        sequence: Int,
        taskName: String,
        stepId: StepID,
        executionId: ExecutionID,
        attempt: Int,
        inputs: FlowValue,
        startedAt: ContinuousClock.Instant,
        endedAt: ContinuousClock.Instant? = nil,
        startOrder: Int,
        endOrder: Int? = nil,
        outcome: Outcome? = nil
    ) {
        self.sequence = sequence
        self.taskName = taskName
        self.stepId = stepId
        self.executionId = executionId
        self.attempt = attempt
        self.inputs = inputs
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.startOrder = startOrder
        self.endOrder = endOrder
        self.outcome = outcome
    }

    /// Whether the call has returned or thrown.
    public var isFinished: Bool { endOrder != nil }

    /// How long the call took on the continuous clock; `nil` while it is still running.
    public var duration: Duration? { endedAt.map { startedAt.duration(to: $0) } }

    /// The returned value, if the call returned.
    public var output: FlowValue? {
        if case .returned(let value) = outcome { return value }
        return nil
    }

    /// Whether the call threw.
    public var threw: Bool {
        if case .threw = outcome { return true }
        return false
    }

    /// Whether the two calls were running at the same moment: each started before the other ended.
    ///
    /// Decided on the logical timeline (``startOrder`` / ``endOrder``), so the answer is exact; a call that
    /// is still running counts as running until now.
    public func overlaps(_ other: RecordedTaskCall) -> Bool {
        startOrder < (other.endOrder ?? Int.max) && other.startOrder < (endOrder ?? Int.max)
    }
}
