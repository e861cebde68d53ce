public import FlowCore
public import OrderedCollections

/// One execution made by a ``FlowTestHarness``: its result, its events and the task calls it made.
///
/// ```swift
/// let run = try await harness.run(["order_id": "o-1"])
/// expectSuccess(run)
/// #expect(run.output("total") == 42)
/// #expect(run.eventNames.contains("step_retrying"))
/// #expect(run.calls.map(\.taskName) == ["Validate", "Charge"])
/// ```
public struct FlowTestRun: Sendable {
    /// The executor's result.
    public let result: ExecutionResult
    /// Every event of the execution, in order (subflow events included).
    public let events: [ExecutionEvent]
    /// The recorded task calls of this execution, in the order they started.
    public let calls: [RecordedTaskCall]

    /// Bundles a result with its events and calls.
    public init(result: ExecutionResult, events: [ExecutionEvent], calls: [RecordedTaskCall]) {
        self.result = result
        self.events = events
        self.calls = calls
    }

    /// The wire names of ``events`` in order, e.g. `["flow_started", "step_started", …]`.
    public var eventNames: [String] { events.map(\.name) }

    /// The events of one kind, in order.
    public func events(_ kind: ExecutionEvent.Kind) -> [ExecutionEvent] {
        events.filter { $0.kind == kind }
    }

    /// The events about step `stepId`, in order.
    public func events(forStep stepId: StepID) -> [ExecutionEvent] {
        events.filter { $0.stepId == stepId }
    }

    /// How the execution ended.
    public var status: ExecutionResult.Status { result.status }

    /// Whether the flow succeeded (completed, or terminated by an `exit` step).
    public var isSuccess: Bool { result.isSuccess }

    /// The outputs: declared outputs when completed, exit outputs when terminated.
    public var outputs: OrderedDictionary<String, FlowValue> { result.outputs }

    /// The output called `name`, if present.
    public func output(_ name: String) -> FlowValue? { result.outputs[name] }

    /// Why the execution failed, when it did.
    public var failure: ExecutionResult.Failure? { result.failure }

    /// The exit or cancellation reason.
    public var reason: String? { result.reason }
}
