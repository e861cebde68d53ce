public import Foundation

/// What a durable store remembers of an execution's task steps, so that a run interrupted by a crash resumes
/// where it stopped instead of starting over.
///
/// The executor asks the journal before running a task step: a step with an entry is not run again; its stored
/// output (or failure) is used instead. After running one it records the outcome. A step that was running when
/// the process died has no entry and runs again: steps run at least once, and exactly once when they finish
/// before a crash. Tasks that call other systems pass ``TaskContext/idempotencyKey`` along to make a repeat
/// harmless.
public protocol StepJournal: Sendable {
    /// The outcome an earlier run of this execution recorded for the task step at `path`.
    func entry(at path: StepPath) -> StepJournalEntry?
    /// Records a task step's outcome. Storing is the journal's concern: when it fails, the journal reports it
    /// and the run goes on (the step would run again after a crash).
    func record(_ entry: StepJournalEntry) async
}

/// One task step's outcome in a ``StepJournal``.
public struct StepJournalEntry: Sendable, Equatable {
    /// How the step ended.
    public enum Outcome: Sendable, Equatable {
        /// The task returned `output`.
        case completed(output: FlowValue)
        /// Every attempt failed; the last with `message` of `type`.
        case failed(message: String, type: String)
    }

    public var path: StepPath
    /// The step's id (its task name when it has none).
    public var stepId: StepID
    public var task: String
    /// The inputs the task was called with.
    public var inputs: FlowValue
    public var attempts: Int
    public var outcome: Outcome
    public var startedAt: Date
    public var finishedAt: Date

    public init(
        path: StepPath,
        stepId: StepID,
        task: String,
        inputs: FlowValue,
        attempts: Int,
        outcome: Outcome,
        startedAt: Date,
        finishedAt: Date
    ) {
        self.path = path
        self.stepId = stepId
        self.task = task
        self.inputs = inputs
        self.attempts = attempts
        self.outcome = outcome
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}
