import FlowCore
import FlowPostgres
import FlowServer
import Foundation
import OrderedCollections
import Testing

/// Several instances on one database: each run is held by one instance under a lease; runs of an instance whose
/// leases ran out are claimed by exactly one other, which alone may journal and finish them from then on.
@Suite(.enabled(if: TestDatabase.isAvailable, "set FLOWLANG_TEST_POSTGRES_URL (scripts/postgres-test-server.sh start)"))
struct PostgresLeaseTests {
    typealias Cases = ExecutionStoreConformanceTests

    static func entry(_ path: String, output: FlowValue = "done") -> StepJournalEntry {
        StepJournalEntry(
            path: StepPath(path), stepId: "s\(path)", task: "T", inputs: ["n": 1], attempts: 1,
            outcome: .completed(output: output), startedAt: Date(timeIntervalSince1970: 1),
            finishedAt: Date(timeIntervalSince1970: 2)
        )
    }

    @Test func theStepJournalKeepsTheFirstOutcomeAtAPathAndGoesWithItsRecord() async throws {
        try await TestDatabase.withStore(maxRecords: 1) { store in
            #expect(store.keepsJournal)
            try await store.create(Cases.running("run"))
            try await store.appendJournal(Self.entry("0"), execution: "run")
            try await store.appendJournal(Self.entry("1[2].branch0.0"), execution: "run")
            try await store.appendJournal(Self.entry("0", output: "again"), execution: "run")
            #expect(try await store.journal(id: "run") == [Self.entry("0"), Self.entry("1[2].branch0.0")])
            _ = try await store.finish(id: "run", result: Cases.result("run"), events: [], at: Date())
            try await store.create(Cases.running("next"))
            _ = try await store.finish(id: "next", result: Cases.result("next"), events: [], at: Date())
            _ = try await store.purge(at: Date())
            #expect(try await store.record(id: "run") == nil)
            #expect(try await store.journal(id: "run").isEmpty)
        }
    }

    @Test func runsOfAnInstanceWhoseLeaseRanOutAreClaimedOnceByOneOfTheInstancesClaimingAtOnce() async throws {
        try await TestDatabase.withSchema { schema in
            // A lease of zero: the instance counts as dead as soon as it wrote.
            let dead = try TestDatabase.makeStore(schema: schema, leaseDuration: .zero)
            let alive = try TestDatabase.makeStore(schema: schema)
            let first = try TestDatabase.makeStore(schema: schema)
            let second = try TestDatabase.makeStore(schema: schema)
            try await dead.migrate()
            try await TestDatabase.running([dead, alive, first, second]) {
                for index in 0..<20 { try await dead.create(Cases.running("orphan-\(index)")) }
                try await alive.create(Cases.running("held"))
                try await dead.appendJournal(Self.entry("0"), execution: "orphan-0")
                async let firstClaims = first.claimInterrupted(maxResumes: 5, at: Date())
                async let secondClaims = second.claimInterrupted(maxResumes: 5, at: Date())
                let claimed = try await (firstClaims + secondClaims).map(\.id)
                #expect(claimed.count == 20)
                #expect(Set(claimed) == Set((0..<20).map { "orphan-\($0)" }))
                #expect(try await first.claimInterrupted(maxResumes: 5, at: Date()).isEmpty)
                let resumed = try #require(try await first.record(id: "orphan-0"))
                #expect(resumed.resumes == 1)
                #expect(resumed.journaledAtResume == 1)
                #expect(try await alive.record(id: "held")?.resumes == 0)
            }
        }
    }

    /// Runs `body` with two running stores on a new schema: `paused`, whose leases never last, and `survivor`.
    /// Before `body` runs, `paused` created run `contested`, and `willBeClaimed` ran before `survivor` claimed it.
    static func withContestedRun(
        willBeClaimed: (_ paused: PostgresExecutionStore) async throws -> Void = { _ in },
        _ body: (_ paused: PostgresExecutionStore, _ survivor: PostgresExecutionStore) async throws -> Void
    ) async throws {
        try await TestDatabase.withSchema { schema in
            let paused = try TestDatabase.makeStore(schema: schema, leaseDuration: .zero)
            let survivor = try TestDatabase.makeStore(schema: schema)
            try await paused.migrate()
            try await TestDatabase.running([paused, survivor]) {
                try await paused.create(Cases.running("contested"))
                try await willBeClaimed(paused)
                #expect(try await survivor.claimInterrupted(maxResumes: 5, at: Date()).map(\.id) == ["contested"])
                try await body(paused, survivor)
            }
        }
    }

    @Test func anInstanceWhoseRunWasClaimedCanNeitherJournalNorFinishIt() async throws {
        try await Self.withContestedRun { paused, survivor in
            await #expect(throws: LeaseLostError.self) {
                try await paused.appendJournal(Self.entry("0", output: "late"), execution: "contested")
            }
            #expect(try await survivor.journal(id: "contested").isEmpty)
            await #expect(throws: LeaseLostError.self) {
                _ = try await paused.finish(id: "contested", result: Cases.result("contested"), events: [], at: Date())
            }
            await #expect(throws: LeaseLostError.self) {
                _ = try await paused.finish(
                    Cases.running("contested"), result: Cases.result("contested"), events: [], at: Date())
            }
            #expect(try await survivor.record(id: "contested")?.status == .running)
            try await survivor.appendJournal(Self.entry("0"), execution: "contested")
            #expect(try await survivor.journal(id: "contested") == [Self.entry("0")])
            let finished = try await survivor.finish(
                id: "contested", result: Cases.result("contested"), events: [], at: Date())
            #expect(finished.status == .completed)
        }
    }

    @Test func anInstanceWhoseRunWasClaimedSharesNoMoreOfItsEvents() async throws {
        let started = ExecutionEvent(kind: .flowStarted, executionId: "contested", data: [:])
        try await Self.withContestedRun(willBeClaimed: { paused in
            try await paused.appendLiveEvents([started], from: 1, execution: "contested")
        }) { paused, survivor in
            let late = ExecutionEvent(kind: .stepStarted, executionId: "contested", data: ["step_id": "late"])
            try await paused.appendLiveEvents([late], from: 2, execution: "contested")
            #expect(try await survivor.liveEvents(id: "contested", after: 0).map(\.kind) == [.flowStarted])
            let resumed = ExecutionEvent(kind: .stepStarted, executionId: "contested", data: ["step_id": "resumed"])
            try await survivor.appendLiveEvents([resumed], from: 2, execution: "contested")
            #expect(try await survivor.liveEvents(id: "contested", after: 1).map(\.stepId) == ["resumed"])
        }
    }
}
