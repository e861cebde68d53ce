import FlowCore
import FlowPostgres
import FlowSQLite
import FlowServer
import Foundation
import OrderedCollections
import Testing

/// One behaviour for every ``ExecutionStore``: the memory, SQLite and PostgreSQL stores pass the same tests
/// (PostgreSQL when `FLOWLANG_TEST_POSTGRES_URL` names a server; scripts/test.sh starts one).
@Suite struct ExecutionStoreConformanceTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory
        case sqlite
        case postgres

        var testDescription: String { rawValue }

        /// The kinds this machine can test.
        static var available: [Kind] { allCases.filter { $0 != .postgres || TestDatabase.isAvailable } }

        /// Runs `body` with a new, empty store of this kind (PostgreSQL: a schema of its own, dropped after).
        func withStore(maxRecords: Int = 1000, _ body: (any ExecutionStore) async throws -> Void) async throws {
            switch self {
            case .memory: try await body(MemoryExecutionStore(maxRecords: maxRecords))
            case .sqlite: try await body(SQLiteExecutionStore(path: StoreFiles.newPath(), maxRecords: maxRecords))
            case .postgres: try await TestDatabase.withStore(maxRecords: maxRecords) { try await body($0) }
            }
        }
    }

    static func running(_ id: ExecutionID, flow: String = "F", start: Date = Date()) -> ExecutionRecord {
        ExecutionRecord(
            id: id, flowName: flow, mode: .async, inputs: ["n": 1, "items": [["sku": "A"]]], startTime: start)
    }

    /// A completed task step journaled at `path`.
    static func journalEntry(_ path: String) -> StepJournalEntry {
        StepJournalEntry(
            path: StepPath(path), stepId: "s\(path)", task: "T", inputs: [:], attempts: 1,
            outcome: .completed(output: ["ok": true]), startedAt: Date(), finishedAt: Date())
    }

    static func result(_ id: ExecutionID, _ status: ExecutionResult.Status = .completed) -> ExecutionResult {
        ExecutionResult(executionId: id, flowName: "F", status: status, outputs: ["total": 9.5])
    }

    @Test(arguments: Kind.available)
    func aCreatedRecordReadsBackUnchanged(kind: Kind) async throws {
        try await kind.withStore { store in
            let record = Self.running("e-1")
            try await store.create(record)
            let stored = try #require(try await store.record(id: "e-1"))
            #expect(stored.storageJSON == record.storageJSON)
            #expect(try await store.record(id: "missing") == nil)
        }
    }

    @Test(arguments: Kind.available)
    func finishingStoresTheResultAndEventsAndKeepsAnEarlierCancelRequest(kind: Kind) async throws {
        try await kind.withStore { store in
            try await store.create(Self.running("e-1"))
            let requested = try await store.requestCancel(id: "e-1", reason: "Cancelled by user request")
            #expect(requested?.status == .running)
            let event = ExecutionEvent(kind: .flowCompleted, executionId: "e-1", data: ["outputs": ["total": 9.5]])
            let finished = try await store.finish(id: "e-1", result: Self.result("e-1"), events: [event], at: Date())
            #expect(finished.status == .completed)
            #expect(finished.cancelReason == "Cancelled by user request")
            let stored = try #require(try await store.record(id: "e-1"))
            #expect(stored.storageJSON == finished.storageJSON)
            #expect(stored.result?.outputs["total"] == 9.5)
            #expect(stored.events.map(\.name) == ["flow_completed"])
        }
    }

    @Test(arguments: Kind.available)
    func aFinishedRecordRefusesASecondFinishAndIgnoresACancelRequest(kind: Kind) async throws {
        try await kind.withStore { store in
            try await store.create(Self.running("e-1"))
            _ = try await store.finish(id: "e-1", result: Self.result("e-1", .failed), events: [], at: Date())
            await #expect(throws: ExecutionTransitionError.self) {
                try await store.finish(id: "e-1", result: Self.result("e-1"), events: [], at: Date())
            }
            let after = try await store.requestCancel(id: "e-1", reason: "late")
            #expect(after?.status == .failed)
            #expect(after?.cancelReason == nil)
            #expect(try await store.requestCancel(id: "nope", reason: "x") == nil)
        }
    }

    @Test(arguments: Kind.available)
    func finishingTheRecordARunHeldKeepsACancelRequestStoredSinceAndIsRefusedASecondTime(kind: Kind) async throws {
        try await kind.withStore { store in
            let running = Self.running("e-1")
            try await store.create(running)
            _ = try await store.requestCancel(id: "e-1", reason: "asked elsewhere")
            let event = ExecutionEvent(kind: .flowCompleted, executionId: "e-1", data: ["outputs": ["total": 9.5]])
            let finished = try await store.finish(running, result: Self.result("e-1"), events: [event], at: Date())
            #expect(finished.status == .completed)
            #expect(finished.cancelReason == "asked elsewhere")
            let stored = try #require(try await store.record(id: "e-1"))
            #expect(stored.storageJSON == finished.storageJSON)
            await #expect(throws: ExecutionTransitionError.self) {
                try await store.finish(running, result: Self.result("e-1"), events: [], at: Date())
            }
            await #expect(throws: ExecutionTransitionError.self) {
                try await store.finish(Self.running("unknown"), result: Self.result("unknown"), events: [], at: Date())
            }
        }
    }

    @Test(arguments: Kind.available)
    func runsWritingAtTheSameMomentEachKeepTheirOwnRecordAndJournal(kind: Kind) async throws {
        try await kind.withStore { store in
            let ids = (0..<60).map { ExecutionID(rawValue: "run-\($0)") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, id) in ids.enumerated() {
                    group.addTask {
                        var running = Self.running(id)
                        if index.isMultiple(of: 3) { running.cancelReason = "signalled" }
                        try await store.create(running)
                        for step in 0..<2 {
                            let entry = StepJournalEntry(
                                path: StepPath("\(step)"), stepId: "s\(step)", task: "T", inputs: ["n": 1],
                                attempts: 1, outcome: .completed(output: .string("\(id)/\(step)")),
                                startedAt: Date(), finishedAt: Date(timeIntervalSince1970: Double(1000 + step)))
                            try await store.appendJournal(entry, execution: id)
                        }
                        let status: ExecutionResult.Status = index.isMultiple(of: 2) ? .completed : .failed
                        let finished = try await store.finish(
                            running, result: Self.result(id, status), events: [], at: Date())
                        #expect(finished.status.rawValue == status.rawValue)
                    }
                }
                try await group.waitForAll()
            }
            for (index, id) in ids.enumerated() {
                let stored = try #require(try await store.record(id: id))
                #expect(stored.status == (index.isMultiple(of: 2) ? .completed : .failed))
                #expect(stored.cancelReason == (index.isMultiple(of: 3) ? "signalled" : nil))
                if store.keepsJournal {
                    let outcomes = try await store.journal(id: id).map(\.outcome)
                    #expect(
                        outcomes == [.completed(output: .string("\(id)/0")), .completed(output: .string("\(id)/1"))])
                }
            }
        }
    }

    @Test(arguments: Kind.available)
    func cancelRequestsRacingFinishesNeverLeaveARecordRunning(kind: Kind) async throws {
        try await kind.withStore(maxRecords: 10_000) { store in
            let ids = (0..<100).map { ExecutionID(rawValue: "race-\($0)") }
            for id in ids { try await store.create(Self.running(id)) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in ids {
                    group.addTask {
                        _ = try await store.finish(id: id, result: Self.result(id), events: [], at: Date())
                    }
                    group.addTask { _ = try await store.requestCancel(id: id, reason: "racing") }
                }
                try await group.waitForAll()
            }
            let records = try await store.records(flow: "F", limit: 1000)
            #expect(records.count == 100)
            #expect(records.allSatisfy { $0.status == .completed })
        }
    }

    @Test(arguments: Kind.available)
    func listingGivesTheNewestRecordsOfAFlowOldestFirst(kind: Kind) async throws {
        try await kind.withStore { store in
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            for index in 0..<6 {
                try await store.create(
                    Self.running("a-\(index)", flow: "A", start: start.addingTimeInterval(Double(index))))
                try await store.create(
                    Self.running("b-\(index)", flow: "B", start: start.addingTimeInterval(Double(index))))
            }
            #expect(try await store.records(flow: "A", limit: 3).map(\.id) == ["a-3", "a-4", "a-5"])
            #expect(try await store.records(flow: nil, limit: 100).count == 12)
            #expect(try await store.records(flow: "C", limit: 10).isEmpty)
            #expect(try await store.records(flow: "A", limit: 0).isEmpty)
        }
    }

    @Test(arguments: Kind.available)
    func retentionDropsTheOldestFinishedRecordsAndNeverARunningOne(kind: Kind) async throws {
        try await kind.withStore(maxRecords: 2) { store in
            let start = Date()
            try await store.create(Self.running("running", start: start))
            for index in 0..<5 {
                let id = ExecutionID(rawValue: "done-\(index)")
                try await store.create(Self.running(id, start: start.addingTimeInterval(Double(index + 1))))
                try await store.appendJournal(Self.journalEntry("0"), execution: id)
                _ = try await store.finish(id: id, result: Self.result(id), events: [], at: Date())
            }
            // Stores that purge in the background (PostgreSQL) do it when the server asks; the others already did.
            _ = try await store.purge(at: Date())
            let kept = try await store.records(flow: "F", limit: 100).map(\.id)
            #expect(kept.contains("running"))
            #expect(kept.contains("done-4"))
            #expect(kept.count <= 3)
            #expect(!kept.contains("done-0"))
            #expect(try await store.journal(id: "done-0").isEmpty, "a record's journal goes with it")
            #expect(try await store.journal(id: "done-4").count == (store.keepsJournal ? 1 : 0))
        }
    }

    @Test(arguments: Kind.available)
    func fiftyConcurrentCreatesWithOneIdempotencyKeyStoreOneRun(kind: Kind) async throws {
        try await kind.withStore { store in
            let winners = try await withThrowingTaskGroup(of: ExecutionID.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        var record = Self.running("try-\(index)")
                        record.idempotencyKey = "order-42"
                        return try await store.createOnce(record).id
                    }
                }
                return try await group.reduce(into: Set<ExecutionID>()) { $0.insert($1) }
            }
            #expect(winners.count == 1)
            let stored = try await store.records(flow: "F", limit: 100)
            #expect(stored.map(\.id) == Array(winners))
            #expect(stored.first?.idempotencyKey == "order-42")
        }
    }

    @Test(arguments: Kind.available)
    func anIdempotencyKeyBelongsToOneFlow(kind: Kind) async throws {
        try await kind.withStore { store in
            var first = Self.running("a", flow: "A")
            first.idempotencyKey = "k"
            var second = Self.running("b", flow: "B")
            second.idempotencyKey = "k"
            let created = [try await store.createOnce(first).id, try await store.createOnce(second).id]
            #expect(created == ["a", "b"])
            var again = Self.running("a2", flow: "A")
            again.idempotencyKey = "k"
            #expect(try await store.createOnce(again).id == "a")
            #expect(try await store.createOnce(Self.running("plain")).id == "plain")
        }
    }
}

/// Temporary database files, one per store.
enum StoreFiles {
    static func newPath() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("flowlang-store-\(UUID().uuidString)")
            .appendingPathComponent("executions.sqlite").path
    }
}
