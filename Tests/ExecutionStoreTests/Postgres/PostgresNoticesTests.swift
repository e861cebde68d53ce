import FlowCore
import FlowPostgres
import FlowTesting
import Foundation
import OrderedCollections
import Testing

@testable import FlowServer

/// `LISTEN`/`NOTIFY` between instances on one schema: a run released for others to claim and a cancel request
/// reach the other instances as notices, so they act at once rather than at their next poll.
@Suite(.enabled(if: TestDatabase.isAvailable, "set FLOWLANG_TEST_POSTGRES_URL (scripts/postgres-test-server.sh start)"), .timeLimit(.minutes(1)))
struct PostgresNoticesTests {
    @Test func anInstanceHearsRunsReleasedAndCancelsRequestedAtAnother() async throws {
        try await TestDatabase.withSchema { schema in
            let speaking = try TestDatabase.makeStore(schema: schema)
            let listening = try TestDatabase.makeStore(schema: schema)
            try await speaking.migrate()
            try await TestDatabase.running([speaking, listening]) {
                var notices = try #require(listening.notices).makeAsyncIterator()
                // Listening starts with both kinds: what was sent before it listened was not heard.
                #expect(await notices.next() == .runsToClaim)
                #expect(await notices.next() == .cancelRequested)

                try await speaking.create(ExecutionRecord(id: "queued", flowName: "F", mode: .async, inputs: [:]))
                try await speaking.release(id: "queued")
                #expect(await notices.next() == .runsToClaim)
                _ = try await speaking.requestCancel(id: "queued", reason: "no longer wanted")
                #expect(await notices.next() == .cancelRequested)
            }
        }
    }

    @Test func aCancelAskedOfAnotherInstanceReachesTheRunWithoutWaitingForAPoll() async throws {
        try await TestDatabase.withSchema { schema in
            let holding = try TestDatabase.makeStore(schema: schema)
            let asked = try TestDatabase.makeStore(schema: schema)
            try await holding.migrate()
            try await TestDatabase.running([holding, asked]) {
                let reserving = AsyncBarrier(parties: 2)
                let recorder = TaskCallRecorder()
                let flow = try PostgresHandOverTests.served(reserving: reserving, recorder: recorder)
                // The holder's clock never moves: its polls for cancel requests never come.
                let here = ExecutionService(store: holding, logger: TestDatabase.logger, clock: ManualClock())
                let there = ExecutionService(store: asked, logger: TestDatabase.logger)
                let id = try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await here.run() }
                    let started = await here.start(flow, inputs: [:], mode: .async)
                    try await reserving.arrive()
                    let followed = try #require(here.follow(id: started.id))
                    #expect(await there.cancel(id: started.id, reason: "stopped from the other instance"))
                    for await _ in followed.upcoming {}
                    group.cancelAll()
                    return started.id
                }
                let stored = try #require(try await asked.record(id: id))
                #expect(stored.status == .cancelled)
                #expect(recorder.allCalls.map(\.taskName) == ["Reserve", "Release"], "on_cancel ran where the run ran")
            }
        }
    }
}
