public import FlowCore
public import Foundation

/// One change to an execution record, as a store applies it: the only ways a status moves.
///
/// ```
/// running ──requestCancel──▶ running (cancel requested)
/// running ──resume─────────▶ running (resumes + 1)
/// running ──finish(result)─▶ completed | failed | cancelled
/// ```
/// A finished record never changes again.
public enum ExecutionTransition: Sendable {
    /// Cancellation was requested; the run ends later, cancelled or, if it was about to, completed.
    case requestCancel(reason: String)
    /// A server took over the run after the one running it stopped.
    case resume
    /// The run ended.
    case finish(result: ExecutionResult, events: [ExecutionEvent], at: Date)
}

/// A transition the record's status does not allow.
public struct ExecutionTransitionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var executionId: String
    /// The status the record had; nil when the store does not know the execution.
    public var status: ExecutionRecord.Status?
    public var transition: String

    public init(executionId: String, status: ExecutionRecord.Status?, transition: String) {
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
        case .resume:
            resumes += 1
        case .finish(let result, let events, let time):
            finish(with: result, events: events, at: time)
        }
    }
}

extension ExecutionRecord {
    /// Takes over an interrupted run for a resume (``ExecutionTransition/resume``), or, when it was resumed
    /// `maxResumes` times already, finishes it failed (`ExecutionInterrupted`): a run that keeps stopping its
    /// server is not started again forever. Returns whether the run is to be resumed.
    public mutating func claimInterrupted(maxResumes: Int, at time: Date) throws(ExecutionTransitionError) -> Bool {
        guard resumes < maxResumes else {
            let failure = ExecutionResult.Failure(
                message: "The server running this execution stopped before it finished, \(resumes + 1) times; "
                    + "it is not resumed again",
                type: "ExecutionInterrupted"
            )
            let result = ExecutionResult(executionId: id, flowName: flowName, status: .failed, failure: failure)
            try apply(.finish(result: result, events: events, at: time))
            return false
        }
        try apply(.resume)
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
