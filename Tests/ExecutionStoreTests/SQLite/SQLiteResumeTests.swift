import FlowCore
import FlowSQLite
import FlowTesting
import Foundation
import Logging
import OrderedCollections
import Testing

@testable import FlowServer

/// A server on an SQLite file resumes the runs a server before it left unfinished, from their step journal.
@Suite(.timeLimit(.minutes(1)))
struct SQLiteResumeTests {
    static let flowYAML = """
        flow: Orders
        inputs:
          - name: order
        steps:
          - task: Reserve
            id: reserve
            inputs: {order: "${inputs.order}"}
          - task: Charge
            id: charge
            inputs: {hold: "${reserve.hold}"}
        outputs:
          - name: receipt
            value: "${charge.receipt}"
        """

    /// Reserve and Charge, recorded; Charge returns a receipt naming the hold it got.
    static func tasks(_ recorder: TaskCallRecorder) -> TaskRegistry {
        var registry = TaskRegistry()
        registry.register("Reserve") { inputs, _ in
            ["hold": .string("hold-\(inputs["order"]?.interpolationText ?? "")")]
        }
        registry.register("Charge") { inputs, context in
            ["receipt": .string("paid \(inputs["hold"]?.interpolationText ?? "") key=\(context.idempotencyKey)")]
        }
        return recorder.wrapping(registry)
    }

    /// A server's execution service on `store` serving Orders with `recorder`'s tasks.
    static func service(_ store: SQLiteExecutionStore, recorder: TaskCallRecorder, served: Bool = true) throws
        -> ExecutionService
    {
        let flow = ServedFlow(definition: try FlowLoader().load(yaml: flowYAML), registry: tasks(recorder))
        let catalog = served ? FlowCatalog(flow: flow) : FlowCatalog(flows: [])
        return ExecutionService(store: store, logger: Logger(label: "test"), catalog: catalog)
    }

    /// Runs `service` until the live execution `id` ends, and returns its stored record.
    static func runUntilFinished(_ service: ExecutionService, id: ExecutionID) async throws -> ExecutionRecord? {
        await service.resumeInterrupted()
        let followed = try #require(service.follow(id: id))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            await followed.untilEnded()
            group.cancelAll()
            return try await service.store.record(id: id)
        }
    }

    /// A store at `path` holding a run of Orders interrupted after `journaled` of its steps, and after its
    /// cancellation was requested with `cancelReason`, if any.
    static func interruptedRun(at path: String, journaled: [StepJournalEntry], cancelReason: String? = nil) async throws
    {
        let store = try SQLiteExecutionStore(path: path)
        try await store.create(
            ExecutionRecord(id: "order-run", flowName: "Orders", mode: .async, inputs: ["order": "o-7"]))
        for entry in journaled { try await store.appendJournal(entry, execution: "order-run") }
        if let cancelReason { _ = try await store.requestCancel(id: "order-run", reason: cancelReason) }
    }

    static let reserved = StepJournalEntry(
        path: StepPath("0"), stepId: "reserve", task: "Reserve", inputs: ["order": "o-7"], attempts: 1,
        outcome: .completed(output: ["hold": "hold-o-7"]), startedAt: Date(), finishedAt: Date()
    )

    @Test func anInterruptedRunResumesWithoutRunningItsJournaledStepsAgain() async throws {
        let path = StoreFiles.newPath()
        try await Self.interruptedRun(at: path, journaled: [Self.reserved])
        let recorder = TaskCallRecorder()
        let store = try SQLiteExecutionStore(path: path)
        let record = try #require(
            try await Self.runUntilFinished(try Self.service(store, recorder: recorder), id: "order-run"))
        #expect(record.status == .completed)
        #expect(record.resumes == 1)
        #expect(record.result?.outputs == ["receipt": "paid hold-o-7 key=order-run:1"])
        #expect(recorder.allCalls.map(\.taskName) == ["Charge"])
        #expect(try await store.journal(id: "order-run").map(\.path.description) == ["0", "1"])
        let replayed = record.events.filter { $0.data["replayed"] == true }.map(\.kind)
        #expect(replayed == [.stepStarted, .stepCompleted])
    }

    @Test func anInterruptedRunWhoseCancellationWasRequestedResumesCancelledWithoutRunningAnotherStep() async throws {
        let path = StoreFiles.newPath()
        try await Self.interruptedRun(at: path, journaled: [Self.reserved], cancelReason: "Cancelled by user request")
        let recorder = TaskCallRecorder()
        let store = try SQLiteExecutionStore(path: path)
        let record = try #require(
            try await Self.runUntilFinished(try Self.service(store, recorder: recorder), id: "order-run"))
        #expect(record.status == .cancelled)
        #expect(record.cancelReason == "Cancelled by user request")
        #expect(recorder.allCalls.isEmpty)
        #expect(record.events.last?.kind == .flowCancelled)
    }

    @Test func anInterruptedRunOfAFlowNoLongerServedIsFailedNamingTheFlow() async throws {
        let path = StoreFiles.newPath()
        try await Self.interruptedRun(at: path, journaled: [])
        let store = try SQLiteExecutionStore(path: path)
        let service = try Self.service(store, recorder: TaskCallRecorder(), served: false)
        await service.resumeInterrupted()
        let record = try #require(try await store.record(id: "order-run"))
        #expect(record.status == .failed)
        #expect(record.result?.failure?.type == "ExecutionInterrupted")
        #expect(record.result?.failure?.message.contains("flow 'Orders' is not served here") == true)
    }

    @Test func everyTaskStepOfARunOnSQLiteIsJournaled() async throws {
        let store = try SQLiteExecutionStore(path: StoreFiles.newPath())
        let service = try Self.service(store, recorder: TaskCallRecorder())
        let flow = ServedFlow(
            definition: try FlowLoader().load(yaml: Self.flowYAML), registry: Self.tasks(TaskCallRecorder()))
        let record = await service.execute(flow, inputs: ["order": "o-1"], mode: .sync)
        #expect(record.status == .completed)
        let journal = try await store.journal(id: record.id)
        #expect(journal.map(\.stepId) == ["reserve", "charge"])
        #expect(journal.first?.outcome == .completed(output: ["hold": "hold-o-1"]))
    }
}
