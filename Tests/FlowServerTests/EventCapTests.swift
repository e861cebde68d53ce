import FlowCore
import FlowTesting
import Foundation
import OrderedCollections
import Testing

@testable import FlowServer

/// A run with more events than are kept for replay still replays how it ended.
@Suite struct EventCapTests {
    static let tenSteps = "flow: Long\nsteps:\n" + (1...10).map { "  - task: Step\n    id: s\($0)\n" }.joined()

    @Test func aRunWithMoreEventsThanTheCapKeepsItsFirstEventsAndItsEnding() async throws {
        var registry = TaskRegistry()
        registry.register("Step") { _, _ in [:] }
        let service = ExecutionService(
            store: MemoryExecutionStore(),
            logger: TestFlowServer.logger,
            maxEventsPerExecution: 5,
            clock: ImmediateClock()
        )
        let record = await service.execute(
            try TestFlowServer.served(Self.tenSteps, registry: registry), inputs: [:], mode: .sync)
        #expect(record.status == .completed)
        #expect(
            record.events.map(\.name) == [
                "flow_started", "step_started", "step_completed", "step_started", "step_completed", "flow_completed",
            ])
        #expect(try await service.store.record(id: record.id)?.events.last?.name == "flow_completed")
    }

    @Test func theMemoryStoreKeepsTheEndingOfARecordPastItsEventCap() async throws {
        let store = MemoryExecutionStore(maxEventsPerRecord: 3)
        try await store.create(ExecutionRecord(id: "e", flowName: "F", mode: .sync, inputs: [:]))
        let events =
            [ExecutionEvent(kind: .flowStarted, executionId: "e", data: [:])]
            + (1...8).map {
                ExecutionEvent(kind: .stepCompleted, executionId: "e", data: ["step_id": .string("s\($0)")])
            }
            + [
                ExecutionEvent(kind: .flowTerminated, executionId: "e", data: [:]),
                ExecutionEvent(kind: .flowCompleted, executionId: "e", data: [:]),
            ]
        let result = ExecutionResult(executionId: "e", flowName: "F", status: .terminated)
        let finished = try await store.finish(id: "e", result: result, events: events, at: Date())
        #expect(finished.events.map(\.name) == ["flow_started", "flow_terminated", "flow_completed"])
    }

    @Test func eventsOfASubflowEndingAreNotKeptPastTheCap() {
        let events = (0..<5).map { _ in
            ExecutionEvent(kind: .flowCompleted, executionId: "e", subflowPath: ["Child"], data: [:])
        }
        #expect(events.capped(to: 2).count == 2)
    }
}
