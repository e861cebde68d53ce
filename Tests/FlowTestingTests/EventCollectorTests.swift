import FlowCore
import FlowTesting
import OrderedCollections
import Testing

struct EventCollectorTests {
    @Test func keepsEveryEventInOrder() async throws {
        let collector = EventCollector()
        let flow = try FlowLoader().load(
            yaml: """
                flow: One
                steps:
                  - task: Echo
                    id: e
                """)

        _ = try await FlowExecutor().execute(flow, options: ExecutionOptions(observers: [collector]))

        #expect(collector.eventNames == ["flow_started", "step_started", "step_completed", "flow_completed"])
        #expect(collector.events.map(\.kind) == [.flowStarted, .stepStarted, .stepCompleted, .flowCompleted])
    }

    @Test func eventNamesWithStepsNameTheStepOfEachStepEvent() async throws {
        let collector = EventCollector()
        let flow = try FlowLoader().load(
            yaml: """
                flow: Two
                steps:
                  - task: Echo
                    id: first
                  - task: Echo
                    id: second
                """)

        _ = try await FlowExecutor().execute(flow, options: ExecutionOptions(observers: [collector]))

        #expect(
            collector.eventNamesWithSteps == [
                "flow_started", "step_started(first)", "step_completed(first)", "step_started(second)",
                "step_completed(second)", "flow_completed",
            ])
    }

    @Test func resetForgetsTheEvents() {
        let collector = EventCollector()
        collector.receive(ExecutionEvent(kind: .flowStarted, executionId: "e", data: [:]))
        #expect(collector.eventNames == ["flow_started"])

        collector.reset()

        #expect(collector.events.isEmpty)
    }
}
