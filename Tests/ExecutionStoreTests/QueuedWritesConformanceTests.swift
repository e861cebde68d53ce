import FlowCore
import FlowSQLite
import FlowServer
import Foundation
import OrderedCollections
import Testing

/// Writes queued without waiting (a sync run's creation and journal) keep their order with later changes and
/// are durable once a later change is, or once they are awaited: the SQLite and PostgreSQL stores, which queue
/// writes, pass the same tests.
@Suite struct QueuedWritesConformanceTests {
    typealias Kind = ExecutionStoreConformanceTests.Kind

    /// The stores that queue writes, of those this machine can test.
    static let kinds = Kind.available.filter { $0 != .memory }

    static func entry(_ index: Int) -> StepJournalEntry {
        StepJournalEntry(
            path: StepPath("\(index)"), stepId: "s\(index)", task: "T", inputs: [:], attempts: 1,
            outcome: .completed(output: ["n": .int(index)]), startedAt: Date(),
            finishedAt: Date().addingTimeInterval(Double(index)))
    }

    @Test(arguments: kinds)
    func aFinishAskedForRightAfterQueuedWritesStoresThemAllInOrder(kind: Kind) async throws {
        try await kind.withStore { store in
            #expect(store.queuesWrites)
            let creation = store.queueCreate(ExecutionRecord(id: "q", flowName: "F", mode: .sync, inputs: ["n": 1]))
            let steps = (0..<3).map { store.queueJournal(Self.entry($0), execution: "q") }
            let result = ExecutionResult(executionId: "q", flowName: "F", status: .completed, outputs: ["ok": true])
            let finished = try await store.finish(id: "q", result: result, events: [], at: Date())
            #expect(finished.status == .completed)
            try await creation.committed()
            for step in steps { try await step.committed() }
            #expect(try await store.record(id: "q")?.status == .completed)
            #expect(try await store.journal(id: "q").map(\.stepId) == ["s0", "s1", "s2"])
        }
    }

    @Test(arguments: kinds)
    func aRunEndingBeforeItsCreationIsWrittenIsStoredFinished(kind: Kind) async throws {
        try await kind.withStore { store in
            let running = ExecutionRecord(id: "quick", flowName: "F", mode: .sync, inputs: ["n": 1])
            let creation = store.queueCreate(running)
            let steps = (0..<2).map { store.queueJournal(Self.entry($0), execution: "quick") }
            let result = ExecutionResult(executionId: "quick", flowName: "F", status: .completed, outputs: ["ok": true])
            let finished = try await store.finish(running, result: result, events: [], at: Date())
            #expect(finished.status == .completed)
            try await creation.committed()
            for step in steps { try await step.committed() }
            let stored = try #require(try await store.record(id: "quick"))
            #expect(stored.status == .completed)
            #expect(stored.result?.outputs["ok"] == true)
            #expect(stored.inputs["n"] == 1)
            // Written with its creation when that went first (running); not at all when its end replaced it.
            let journal = try await store.journal(id: "quick").map(\.stepId)
            #expect(journal.isEmpty || journal == ["s0", "s1"])
            await #expect(throws: ExecutionTransitionError.self) {
                try await store.finish(running, result: result, events: [], at: Date())
            }
        }
    }

    @Test(arguments: kinds)
    func aCancelRequestedWhileTheCreationWaitsIsKeptWhenTheRunEnds(kind: Kind) async throws {
        try await kind.withStore { store in
            let running = ExecutionRecord(id: "stopped", flowName: "F", mode: .sync, inputs: [:])
            let creation = store.queueCreate(running)
            let requested = try await store.requestCancel(id: "stopped", reason: "stop it")
            #expect(requested?.cancelReason == "stop it")
            let result = ExecutionResult(executionId: "stopped", flowName: "F", status: .completed)
            let finished = try await store.finish(running, result: result, events: [], at: Date())
            try await creation.committed()
            #expect(finished.cancelReason == "stop it")
            #expect(try await store.record(id: "stopped")?.cancelReason == "stop it")
        }
    }

    @Test func aQueuedWriteAwaitedAloneIsWrittenAndDurable() async throws {
        let path = StoreFiles.newPath()
        do {
            let store = try SQLiteExecutionStore(path: path)
            try await store.queueCreate(ExecutionRecord(id: "alone", flowName: "F", mode: .sync, inputs: [:]))
                .committed()
            try await store.queueJournal(Self.entry(0), execution: "alone").committed()
        }
        let reopened = try SQLiteExecutionStore(path: path)
        #expect(try await reopened.record(id: "alone")?.status == .running)
        #expect(try await reopened.journal(id: "alone").count == 1)
    }

    @Test(arguments: kinds)
    func aQueuedWriteThatFailsReportsItsErrorAndLeavesTheOthersStored(kind: Kind) async throws {
        try await kind.withStore { store in
            try await store.create(ExecutionRecord(id: "taken", flowName: "F", mode: .sync, inputs: [:]))
            let duplicate = store.queueCreate(ExecutionRecord(id: "taken", flowName: "F", mode: .sync, inputs: [:]))
            let other = store.queueCreate(ExecutionRecord(id: "other", flowName: "F", mode: .sync, inputs: [:]))
            await #expect(throws: (any Error).self) { try await duplicate.committed() }
            try await other.committed()
            #expect(try await store.record(id: "other") != nil)
        }
    }

    @Test(arguments: kinds)
    func manyConcurrentRunsQueueingAndFinishingLoseNoWrite(kind: Kind) async throws {
        try await kind.withStore { store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for run in 0..<40 {
                    group.addTask {
                        let id = ExecutionID(rawValue: "run-\(run)")
                        let creation = store.queueCreate(
                            ExecutionRecord(id: id, flowName: "F", mode: .sync, inputs: [:]))
                        let steps = (0..<2).map { store.queueJournal(Self.entry($0), execution: id) }
                        let result = ExecutionResult(executionId: id, flowName: "F", status: .completed)
                        _ = try await store.finish(id: id, result: result, events: [], at: Date())
                        try await creation.committed()
                        for step in steps { try await step.committed() }
                    }
                }
                try await group.waitForAll()
            }
            for run in 0..<40 {
                #expect(try await store.record(id: "run-\(run)")?.status == .completed)
                #expect(try await store.journal(id: "run-\(run)").count == 2)
            }
        }
    }
}
