public import FlowCore
public import Testing

// Assertions about recorded task calls, for Swift Testing.
//
// Each records a test issue at the caller's source location when it does not hold, and returns whether it
// held.

/// Expects task `name` to have been called: at least once, or exactly `times` times.
///
/// Records "Task 'X' was not called" or "Task 'X' was called N times, expected M".
/// ```swift
/// expectCalled(mocks, "ChargeCard")
/// expectCalled(mocks, "ReserveStock", times: 3)
/// ```
@discardableResult
public func expectCalled(
    _ mocks: MockTaskRegistry,
    _ name: String,
    times: Int? = nil,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Bool {
    let count = mocks.callCount(of: name)
    if count == 0 && times != 0 {
        recordIssue("Task '\(name)' was not called", at: sourceLocation)
        return false
    }
    if let times, count != times {
        recordIssue("Task '\(name)' was called \(count) times, expected \(times)", at: sourceLocation)
        return false
    }
    return true
}

/// Expects task `name` never to have been called.
///
/// Records "Task 'X' was called N times, expected 0" otherwise.
@discardableResult
public func expectNotCalled(
    _ mocks: MockTaskRegistry,
    _ name: String,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Bool {
    expectCalled(mocks, name, times: 0, sourceLocation: sourceLocation)
}

/// Expects some call of task `name` to have had inputs containing every given key with an equal value
/// (numbers by value, objects regardless of key order); other input keys are ignored.
///
/// Records "Task 'X' was not called" or "Task 'X' was never called with {…}. Calls: [{…}, …]".
/// ```swift
/// expectCalled(mocks, "SendEmail", with: ["to": "alice@example.com"])
/// ```
@discardableResult
public func expectCalled(
    _ mocks: MockTaskRegistry,
    _ name: String,
    with inputs: [String: FlowValue],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Bool {
    let calls = mocks.calls(to: name)
    guard !calls.isEmpty else {
        recordIssue("Task '\(name)' was not called", at: sourceLocation)
        return false
    }
    guard calls.contains(where: { FlowValueMatching.contains($0.inputs, inputs) }) else {
        let made = calls.map(\.inputs.jsonText).joined(separator: ", ")
        recordIssue(
            "Task '\(name)' was never called with \(FlowValueMatching.render(inputs)). Calls: [\(made)]",
            at: sourceLocation
        )
        return false
    }
    return true
}

/// Expects some call of task `first` and some call of task `second` to have been running at the same
/// moment, judged on the recorder's exact logical timeline (see ``RecordedTaskCall/overlaps(_:)``).
///
/// Records "Task 'X' was not called" or "No call of 'A' overlapped a call of 'B' (…)".
/// ```swift
/// expectOverlap(mocks, "FetchUser", "FetchOrders")
/// ```
@discardableResult
public func expectOverlap(
    _ mocks: MockTaskRegistry,
    _ first: String,
    _ second: String,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Bool {
    let firstCalls = mocks.calls(to: first)
    let secondCalls = mocks.calls(to: second)
    for (name, calls) in [(first, firstCalls), (second, secondCalls)] where calls.isEmpty {
        recordIssue("Task '\(name)' was not called", at: sourceLocation)
        return false
    }
    let overlapping = firstCalls.contains { call in secondCalls.contains { call.overlaps($0) } }
    guard overlapping else {
        func spans(_ calls: [RecordedTaskCall]) -> String {
            calls.map { "\($0.startOrder)-\($0.endOrder.map(String.init) ?? "running")" }.joined(separator: ", ")
        }
        recordIssue(
            "No call of '\(first)' overlapped a call of '\(second)' ('\(first)' ran \(spans(firstCalls)), "
                + "'\(second)' ran \(spans(secondCalls)) on the recorder's timeline)",
            at: sourceLocation
        )
        return false
    }
    return true
}
