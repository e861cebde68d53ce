public import FlowCore
import OrderedCollections
public import Testing

// Assertions about how a run ended, its outputs and its events, for Swift Testing.
//
// Each records a test issue at the caller's source location when it does not hold, and returns whether it
// held, so a test can stop early: `guard expectSuccess(run) else { return }`.

/// Expects the flow to have succeeded (completed, or terminated by an `exit` step).
///
/// Records "Flow execution failed: <error> (<type>) at step '<step>'" or "Flow execution was cancelled:
/// <reason>" otherwise.
/// ```swift
/// let run = try await harness.run(["user_name": "Alice"])
/// expectSuccess(run)
/// ```
@discardableResult
public func expectSuccess(
    _ run: FlowTestRun,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Bool {
    guard !run.isSuccess else { return true }
    recordIssue(RunOutcome.describe(run.result), at: sourceLocation)
    return false
}

/// Expects the flow to have failed, optionally with an error message containing `errorContains`, of error
/// type `type`, at step `step`.
///
/// ```swift
/// expectFailure(run, errorContains: "declined", type: "PaymentDeclined", step: "charge")
/// ```
@discardableResult
public func expectFailure(
    _ run: FlowTestRun,
    errorContains: String? = nil,
    type: String? = nil,
    step: String? = nil,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Bool {
    guard run.status == .failed else {
        recordIssue("\(RunOutcome.describe(run.result)), expected a failure", at: sourceLocation)
        return false
    }
    let failure = run.failure ?? ExecutionResult.Failure(message: "", type: "")
    var held = true
    if let errorContains, !failure.message.contains(errorContains) {
        recordIssue("Flow error '\(failure.message)' does not contain '\(errorContains)'", at: sourceLocation)
        held = false
    }
    if let type, failure.type != type {
        recordIssue("Flow error type is '\(failure.type)', expected '\(type)'", at: sourceLocation)
        held = false
    }
    if let step, failure.failedStep != step {
        let actual = failure.failedStep.map { "at step '\($0)'" } ?? "outside any step"
        recordIssue("Flow failed \(actual), expected step '\(step)'", at: sourceLocation)
        held = false
    }
    return held
}

/// Expects the flow to have been ended early by an `exit` step, optionally with exactly `reason`.
///
/// ```swift
/// expectTerminated(run, reason: "Order already shipped")
/// ```
@discardableResult
public func expectTerminated(
    _ run: FlowTestRun,
    reason: String? = nil,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Bool {
    guard run.status == .terminated else {
        recordIssue("\(RunOutcome.describe(run.result)), expected termination by an exit step", at: sourceLocation)
        return false
    }
    if let reason, run.reason != reason {
        recordIssue("Termination reason is '\(run.reason ?? "")', expected '\(reason)'", at: sourceLocation)
        return false
    }
    return true
}

/// Expects the execution to have been cancelled (or timed out), optionally with exactly `reason`.
///
/// ```swift
/// let signal = CancellationSignal()
/// signal.cancel(reason: "user aborted")
/// expectCancelled(try await harness.run(cancellation: signal), reason: "user aborted")
/// ```
@discardableResult
public func expectCancelled(
    _ run: FlowTestRun,
    reason: String? = nil,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Bool {
    guard run.status == .cancelled else {
        recordIssue("\(RunOutcome.describe(run.result)), expected cancellation", at: sourceLocation)
        return false
    }
    if let reason, run.reason != reason {
        recordIssue("Cancellation reason is '\(run.reason ?? "")', expected '\(reason)'", at: sourceLocation)
        return false
    }
    return true
}

/// Expects output `name` to equal `expected`; numbers compare by value (`1 == 1.0`) and objects regardless
/// of key order.
///
/// Records "Output 'k' not found. Available: [a, b]" or "Output 'k' is X, expected Y" (values as JSON).
/// ```swift
/// expectOutput(run, "greeting", equals: "Hello, Alice!")
/// expectOutput(run, "order", equals: ["id": "o-1", "total": 42])
/// ```
@discardableResult
public func expectOutput(
    _ run: FlowTestRun,
    _ name: String,
    equals expected: FlowValue,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Bool {
    guard let actual = run.output(name) else {
        recordIssue(missingOutput(name, in: run), at: sourceLocation)
        return false
    }
    guard FlowValueMatching.equal(actual, expected) else {
        recordIssue("Output '\(name)' is \(actual.jsonText), expected \(expected.jsonText)", at: sourceLocation)
        return false
    }
    return true
}

/// Expects output `name` to be present, whatever its value (`null` included).
///
/// Records "Output 'k' not found. Available: [a, b]" otherwise.
@discardableResult
public func expectOutputExists(
    _ run: FlowTestRun,
    _ name: String,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Bool {
    guard run.output(name) != nil else {
        recordIssue(missingOutput(name, in: run), at: sourceLocation)
        return false
    }
    return true
}

/// Expects the run's events to include `names` in this order; other events may come before, between and
/// after them. Compare ``FlowTestRun/eventNames`` with `#expect` for an exact sequence.
///
/// ```swift
/// expectEvents(run, ["step_started", "step_retrying", "step_retrying", "step_completed", "flow_completed"])
/// ```
@discardableResult
public func expectEvents(
    _ run: FlowTestRun,
    _ names: [String],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Bool {
    let actual = run.eventNames
    var position = actual.startIndex
    for (index, name) in names.enumerated() {
        guard let found = actual[position...].firstIndex(of: name) else {
            let after = index == 0 ? "" : " after '\(names[index - 1])'"
            recordIssue(
                "Event '\(name)' not found\(after); expected in order: \(list(names)), events: \(list(actual))",
                at: sourceLocation
            )
            return false
        }
        position = actual.index(after: found)
    }
    return true
}

/// Expects the run's events to include events of `kinds` in this order, like the name-based `expectEvents`.
///
/// ```swift
/// expectEvents(run, kinds: [.stepRetrying, .stepCompleted, .flowCompleted])
/// ```
@discardableResult
public func expectEvents(
    _ run: FlowTestRun,
    kinds: [ExecutionEvent.Kind],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Bool {
    expectEvents(run, kinds.map(\.rawValue), sourceLocation: sourceLocation)
}

private func missingOutput(_ name: String, in run: FlowTestRun) -> String {
    "Output '\(name)' not found. Available: \(list(Array(run.outputs.keys)))"
}

private func list(_ names: [String]) -> String {
    "[\(names.joined(separator: ", "))]"
}
