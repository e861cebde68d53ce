import FlowCore
import FlowSQLite
import FlowTesting
import Foundation
import Logging
import OrderedCollections
import ServiceLifecycleTestKit
import Testing

@testable import FlowServer

/// SIGTERM (a graceful shutdown) hands a background run back instead of cancelling it: it stops before its next
/// step without `on_cancel`, stays running in the SQLite file, and the next server on the file resumes it.
@Suite(.timeLimit(.minutes(1)))
struct SQLiteHandBackTests {
    /// Orders of ``SQLiteResumeTests``, with a cleanup.
    static let flowYAML = SQLiteResumeTests.flowYAML + "\non_cancel:\n  - task: Release\n"

    /// The flow with `Charge` waiting for `charging` (when given) and then for `proceed`, or without it for a
    /// cancellation.
    static func served(_ recorder: TaskCallRecorder, charging: AsyncBarrier? = nil, proceed: AsyncBarrier? = nil) throws
        -> ServedFlow
    {
        var registry = TaskRegistry()
        registry.register("Reserve") { inputs, _ in
            ["hold": .string("hold-\(inputs["order"]?.interpolationText ?? "")")]
        }
        registry.register("Charge") { inputs, _ in
            if let charging {
                try await charging.arrive()
                try await (proceed ?? AsyncBarrier(parties: 2)).arrive()
            }
            return ["receipt": .string("paid \(inputs["hold"]?.interpolationText ?? "")")]
        }
        registry.register("Release") { _, _ in ["released": true] }
        return ServedFlow(definition: try FlowLoader().load(yaml: flowYAML), registry: recorder.wrapping(registry))
    }

    @Test func gracefulShutdownHandsABackgroundRunBackAndTheNextServerResumesIt() async throws {
        let path = StoreFiles.newPath()
        let before = TaskCallRecorder()
        let charging = AsyncBarrier(parties: 2)
        let id: ExecutionID
        do {
            let store = try SQLiteExecutionStore(path: path)
            let flow = try Self.served(before, charging: charging)
            let service = ExecutionService(
                store: store, logger: Logger(label: "test"), catalog: FlowCatalog(flow: flow))
            id = try await testGracefulShutdown { trigger in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await service.run() }
                    let started = try await service.start(flow, inputs: ["order": "o-9"], mode: .async)
                    try await charging.arrive()
                    trigger.triggerGracefulShutdown()
                    try await group.waitForAll()
                    return started.id
                }
            }
            let stored = try #require(try await store.record(id: id))
            #expect(stored.status == .running, "handed back, not cancelled")
            #expect(try await store.journal(id: id).map(\.stepId) == ["reserve"])
        }
        #expect(before.allCalls.map(\.taskName) == ["Reserve", "Charge"], "no on_cancel ran")

        let after = TaskCallRecorder()
        let store = try SQLiteExecutionStore(path: path)
        let service = ExecutionService(
            store: store, logger: Logger(label: "test"), catalog: FlowCatalog(flow: try Self.served(after)))
        let record = try #require(try await SQLiteResumeTests.runUntilFinished(service, id: id))
        #expect(record.status == .completed)
        #expect(record.resumes == 1)
        #expect(record.result?.outputs == ["receipt": "paid hold-o-9"])
        #expect(after.allCalls.map(\.taskName) == ["Charge"])
    }

    @Test func gracefulShutdownLetsASynchronousRunFinish() async throws {
        let store = try SQLiteExecutionStore(path: StoreFiles.newPath())
        let charging = AsyncBarrier(parties: 2)
        let proceed = AsyncBarrier(parties: 2)
        let flow = try Self.served(TaskCallRecorder(), charging: charging, proceed: proceed)
        let service = ExecutionService(store: store, logger: Logger(label: "test"), catalog: FlowCatalog(flow: flow))
        let record = try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                async let finished = service.execute(flow, inputs: ["order": "o-1"], mode: .sync)
                try await charging.arrive()
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
                try await proceed.arrive()
                return await finished
            }
        }
        #expect(record.status == .completed)
        #expect(try await store.record(id: record.id)?.status == .completed)
    }
}
