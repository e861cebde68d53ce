public import FlowCore
public import Foundation
import OrderedCollections

/// One change to an execution record, as a store applies it: the only ways a status moves.
///
/// ```
/// running ──requestCancel──▶ running (cancel requested)
/// running ──resume─────────▶ running (resumes + 1, stalled count updated)
/// running ──finish(result)─▶ completed | failed | cancelled
/// ```
/// A finished record never changes again.
public enum ExecutionTransition: Sendable {
    /// Cancellation was requested; the run ends later, cancelled or, if it was about to, completed.
    case requestCancel(reason: String)
    /// A server took over the run after the one running it stopped; `journaledSteps` task steps were journaled.
    case resume(journaledSteps: Int)
    /// The run ended.
    case finish(result: ExecutionResult, events: [ExecutionEvent], at: Date)
}

/// A transition the record's status does not allow.
public struct ExecutionTransitionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var executionId: ExecutionID
    /// The status the record had; nil when the store does not know the execution.
    public var status: ExecutionRecord.Status?
    public var transition: String

    public init(executionId: ExecutionID, status: ExecutionRecord.Status?, transition: String) {
        self.executionId = executionId
        self.status = status
        self.transition = transition
    }

    public var description: String {
        guard let status else { return "cannot \(transition) execution \(executionId): no such execution" }
        return "cannot \(transition) execution \(executionId): it is already \(status.rawValue)"
    }
}

extension ExecutionRecord {
    /// Applies `transition` (pure: the store decides where the record lives).
    ///
    /// A cancel request keeps the first reason given. Finishing keeps a stored cancel request, so a run that
    /// completed after a cancel was requested still says it was asked to stop.
    public mutating func apply(_ transition: ExecutionTransition) throws(ExecutionTransitionError) {
        guard status == .running else {
            throw ExecutionTransitionError(executionId: id, status: status, transition: transition.name)
        }
        switch transition {
        case .requestCancel(let reason):
            if cancelReason == nil { cancelReason = reason }
        case .resume(let journaledSteps):
            resumes += 1
            stalledResumes = journaledSteps > journaledAtResume ? 0 : stalledResumes + 1
            journaledAtResume = journaledSteps
        case .finish(let result, let events, let time):
            finish(with: result, events: events, at: time)
        }
    }
}

extension ExecutionRecord {
    /// Takes over an interrupted run for a resume (``ExecutionTransition/resume(journaledSteps:)``), now that
    /// `journaledSteps` of its task steps are journaled; or, when it was interrupted `maxResumes` times in a row
    /// without journaling a step in between, finishes it failed (`ExecutionInterrupted`): a run that keeps
    /// stopping its server at the same step is not started again forever, while one that makes progress is
    /// resumed as often as it takes. A run whose cancellation was requested before any of its steps was
    /// journaled (a queued run cancelled before an instance took it) is finished cancelled instead: nothing ran
    /// that `on_cancel` would clean up; its events end with `flow_cancelled`, as a cancelled run's do, so that
    /// clients following it see it end. Returns whether the run is to be resumed.
    public mutating func claimInterrupted(maxResumes: Int, journaledSteps: Int, at time: Date)
        throws(ExecutionTransitionError) -> Bool
    {
        if let cancelReason, journaledSteps == 0 {
            let result = ExecutionResult(executionId: id, flowName: flowName, status: .cancelled, reason: cancelReason)
            let cancelled = ExecutionEvent(
                kind: .flowCancelled, executionId: id, timestamp: time,
                data: [
                    "flow": .string(flowName), "reason": .string(cancelReason),
                    "duration_ms": .double((max(0, time.timeIntervalSince(startTime)) * 1_000_000).rounded() / 1000),
                    "cleanup_errors": .null,
                ]
            )
            try apply(.finish(result: result, events: events + [cancelled], at: time))
            return false
        }
        let stalled = resumes > 0 && journaledSteps <= journaledAtResume
        guard !stalled || stalledResumes + 1 < maxResumes else {
            let failure = ExecutionResult.Failure(
                message: "The server running this execution stopped \(stalledResumes + 2) times in a row without "
                    + "finishing another step; it is not resumed again",
                type: "ExecutionInterrupted"
            )
            let result = ExecutionResult(executionId: id, flowName: flowName, status: .failed, failure: failure)
            try apply(.finish(result: result, events: events, at: time))
            return false
        }
        try apply(.resume(journaledSteps: journaledSteps))
        return true
    }
}

extension ExecutionTransition {
    /// The verb, for messages.
    var name: String {
        switch self {
        case .requestCancel: "request cancellation of"
        case .resume: "resume"
        case .finish: "finish"
        }
    }
}
