import FlowCore
import FlowPostgres
import FlowTesting
import Foundation
import Logging
import OrderedCollections
import ServiceLifecycleTestKit
import Testing

@testable import FlowServer

/// An instance that loses a run's lease (it was paused past the lease, and another instance claimed the run)
/// stops the run as soon as it tries to journal a step: it runs no further step and no `on_cancel`, whose
/// cleanup would undo what the run goes on with at the other instance, and stores nothing.
@Suite(
    .enabled(if: TestDatabase.isAvailable, "set FLOWLANG_TEST_POSTGRES_URL (scripts/postgres-test-server.sh start)"),
    .timeLimit(.minutes(1)))
struct PostgresHandOverTests {
    static let flowYAML = """
        flow: Orders
        steps:
          - task: Reserve
            id: reserve
          - task: Charge
            id: charge
        on_cancel:
          - task: Release
        """

    @Test func runWhoseLeaseWasClaimedStopsAtItsNextStepWithoutOnCancelAndStoresNothing() async throws {
        try await TestDatabase.withSchema { schema in
            // A lease of zero: the instance counts as gone as soon as it wrote.
            let paused = try TestDatabase.makeStore(schema: schema, leaseDuration: .zero)
            let survivor = try TestDatabase.makeStore(schema: schema)
            try await paused.migrate()
            try await TestDatabase.running([paused, survivor]) {
                let reserving = AsyncBarrier(parties: 2)
                let claimed = AsyncBarrier(parties: 2)
                let recorder = TaskCallRecorder()
                var registry = TaskRegistry()
                registry.register("Reserve") { _, _ in
                    try await reserving.arrive()
                    try await claimed.arrive()
                    return ["hold": "h-1"]
                }
                registry.register("Charge") { _, _ in ["receipt": "r-1"] }
                registry.register("Release") { _, _ in ["released": true] }
                let flow = ServedFlow(
                    definition: try FlowLoader().load(yaml: Self.flowYAML), registry: recorder.wrapping(registry))
                let service = ExecutionService(store: paused, logger: TestDatabase.logger)

                async let finished = service.execute(flow, inputs: [:], mode: .sync, id: "contested")
                try await reserving.arrive()
                #expect(try await survivor.claimInterrupted(maxResumes: 5, at: Date()).map(\.id) == ["contested"])
                try await claimed.arrive()
                let local = await finished

                #expect(local.status == .cancelled)
                #expect(local.result?.reason?.contains("held by another instance") == true)
                #expect(recorder.allCalls.map(\.taskName) == ["Reserve"], "no further step and no on_cancel ran here")
                #expect(local.events.last?.data["handed_over"] == true)
                let stored = try #require(try await survivor.record(id: "contested"))
                #expect(stored.status == .running, "the run goes on at the survivor")
                #expect(stored.resumes == 1)
                #expect(try await survivor.journal(id: "contested").isEmpty)
            }
        }
    }

    /// The flow, with `Reserve` arriving at `reserving` and then holding until cancelled, every call recorded.
    static func served(reserving: AsyncBarrier, recorder: TaskCallRecorder) throws -> ServedFlow {
        var registry = TaskRegistry()
        registry.register("Reserve") { _, _ in
            try await reserving.arrive()
            try await AsyncBarrier(parties: 2).arrive()
            return ["hold": "h-1"]
        }
        registry.register("Charge") { _, _ in ["receipt": "r-1"] }
        registry.register("Release") { _, _ in ["released": true] }
        return ServedFlow(definition: try FlowLoader().load(yaml: flowYAML), registry: recorder.wrapping(registry))
    }

    @Test func gracefulShutdownReleasesABackgroundRunSoAnotherInstanceClaimsItAtOnce() async throws {
        try await TestDatabase.withSchema { schema in
            let leaving = try TestDatabase.makeStore(schema: schema)
            let staying = try TestDatabase.makeStore(schema: schema)
            try await leaving.migrate()
            try await TestDatabase.running([leaving, staying]) {
                let reserving = AsyncBarrier(parties: 2)
                let recorder = TaskCallRecorder()
                let flow = try Self.served(reserving: reserving, recorder: recorder)
                let service = ExecutionService(
                    store: leaving, logger: TestDatabase.logger, catalog: FlowCatalog(flow: flow))
                let id = try await testGracefulShutdown { trigger in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await service.run() }
                        let started = try await service.start(flow, inputs: [:], mode: .async)
                        try await reserving.arrive()
                        trigger.triggerGracefulShutdown()
                        try await group.waitForAll()
                        return started.id
                    }
                }
                #expect(recorder.allCalls.map(\.taskName) == ["Reserve"], "no on_cancel ran")
                // The lease is 30 s; released, the run is claimable now.
                #expect(try await staying.claimInterrupted(maxResumes: 5, at: Date()).map(\.id) == [id])
            }
        }
    }

    @Test func cancelAskedOfAnotherInstanceStopsTheRunWhereItRunsWithItsOnCancel() async throws {
        try await TestDatabase.withSchema { schema in
            let holding = try TestDatabase.makeStore(schema: schema)
            let asked = try TestDatabase.makeStore(schema: schema)
            try await holding.migrate()
            try await TestDatabase.running([holding, asked]) {
                let reserving = AsyncBarrier(parties: 2)
                let recorder = TaskCallRecorder()
                let flow = try Self.served(reserving: reserving, recorder: recorder)
                let clock = ManualClock()
                let here = ExecutionService(store: holding, logger: TestDatabase.logger, clock: clock)
                let there = ExecutionService(store: asked, logger: TestDatabase.logger)
                let id = try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await here.run() }
                    let started = try await here.start(flow, inputs: [:], mode: .async)
                    try await reserving.arrive()
                    let followed = try #require(here.follow(id: started.id))
                    #expect(await there.cancel(id: started.id, reason: "stopped from the other instance"))
                    // The other instance's notice may bring the request at once (PostgresNoticesTests); the holder's
                    // poll for stored requests, every 250 ms, brings it in any case.
                    await clock.waitForSleepers(count: 1)
                    clock.advance(by: ExecutionService.cancelPollInterval)
                    await followed.untilEnded()
                    group.cancelAll()
                    return started.id
                }
                let stored = try #require(try await asked.record(id: id))
                #expect(stored.status == .cancelled)
                #expect(stored.cancelReason == "stopped from the other instance")
                #expect(recorder.allCalls.map(\.taskName) == ["Reserve", "Release"], "on_cancel ran where the run ran")
                #expect(await there.cancel(id: id, reason: "again") == false, "a finished run is not cancelled")
                #expect(await there.cancel(id: "no-such-run", reason: "x") == false)
            }
        }
    }
}
