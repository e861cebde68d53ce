public import FlowCore
import Synchronization

/// An execution observer that keeps every event it receives, in order.
///
/// ``FlowTestHarness`` attaches one to each run; attach one yourself when driving a `FlowExecutor` directly:
/// ```swift
/// let collector = EventCollector()
/// _ = try await executor.execute(flow, options: ExecutionOptions(observers: [collector]))
/// #expect(collector.eventNames.first == "flow_started")
/// ```
public final class EventCollector: ExecutionObserver {
    private let collected = Mutex<[ExecutionEvent]>([])

    /// Creates an empty collector.
    public init() {}

    /// Keeps `event`.
    public func receive(_ event: ExecutionEvent) {
        collected.withLock { $0.append(event) }
    }

    /// The events received so far, in order.
    public var events: [ExecutionEvent] { collected.withLock { $0 } }

    /// The wire names of the events received so far, e.g. `["flow_started", "step_started", …]`.
    public var eventNames: [String] { events.map(\.name) }

    /// The wire names of the events received so far, each step event's with its step id in parentheses:
    /// `["flow_started", "step_started(fetch)", "step_completed(fetch)", "flow_completed"]` — one list that says
    /// which steps ran, in which order, and how each ended.
    public var eventNamesWithSteps: [String] {
        events.map { event in event.stepId.map { "\(event.name)(\($0))" } ?? event.name }
    }

    /// Forgets the events received so far.
    public func reset() {
        collected.withLock { $0.removeAll() }
    }
}
