import FlowCore
import FlowServer
import Foundation
import GRDB
import OrderedCollections
import Testing

@testable import FlowSQLite

/// What only a durable store does: records outlive the store that wrote them, one server per file, and
/// clear errors for files it cannot use.
@Suite struct SQLiteExecutionStoreTests {
    @Test func recordsSurviveReopeningTheFile() async throws {
        let path = StoreFiles.newPath()
        do {
            let store = try SQLiteExecutionStore(path: path)
            try await store.create(ExecutionRecord(id: "kept", flowName: "F", mode: .sync, inputs: ["n": 1]))
            let result = ExecutionResult(
                executionId: "kept", flowName: "F", status: .completed, outputs: ["ok": true],
                duration: .milliseconds(12))
            _ = try await store.finish(id: "kept", result: result, events: [], at: Date())
        }
        let reopened = try SQLiteExecutionStore(path: path)
        let record = try #require(try await reopened.record(id: "kept"))
        #expect(record.status == .completed)
        #expect(record.result?.outputs["ok"] == true)
        #expect(record.result?.duration == .milliseconds(12))
        #expect(record.inputs["n"] == 1)
    }

    @Test func everyCommitIsSyncedToTheDiskBeforeItsCallerGoesOn() async throws {
        let store = try SQLiteExecutionStore(path: StoreFiles.newPath())
        let synchronous = try await store.database.write { db in
            try Int.fetchOne(db, sql: "PRAGMA synchronous")
        }
        #expect(synchronous == 2, "synchronous = FULL")
    }

    @Test func runsAServerLeftRunningAreClaimedOnceForResumingWhenTheFileIsOpenedAgain() async throws {
        let path = StoreFiles.newPath()
        do {
            let store = try SQLiteExecutionStore(path: path)
            try await store.create(ExecutionRecord(id: "in-flight", flowName: "F", mode: .async, inputs: ["n": 1]))
            try await store.create(ExecutionRecord(id: "done", flowName: "F", mode: .sync, inputs: [:]))
            let result = ExecutionResult(executionId: "done", flowName: "F", status: .completed)
            _ = try await store.finish(id: "done", result: result, events: [], at: Date())
            #expect(store.interruptedRuns.isEmpty)
            #expect(try await store.claimInterrupted(maxResumes: 5, at: Date()).isEmpty)
        }
        let reopened = try SQLiteExecutionStore(path: path)
        #expect(reopened.interruptedRuns == ["in-flight"])
        try await reopened.create(ExecutionRecord(id: "new", flowName: "F", mode: .async, inputs: [:]))
        let claimed = try await reopened.claimInterrupted(maxResumes: 5, at: Date())
        #expect(claimed.map(\.id) == ["in-flight"])
        #expect(claimed.first?.resumes == 1)
        #expect(claimed.first?.inputs == ["n": 1])
        let stored = try #require(try await reopened.record(id: "in-flight"))
        #expect(stored.status == .running)
        #expect(stored.resumes == 1)
        #expect(try await reopened.record(id: "done")?.status == .completed)
    }

    @Test func claimsTakeAtMostTheirLimitAndLeaveTheRestForTheNextClaim() async throws {
        let path = StoreFiles.newPath()
        do {
            let store = try SQLiteExecutionStore(path: path)
            for id: ExecutionID in ["first", "second", "third"] {
                try await store.create(ExecutionRecord(id: id, flowName: "F", mode: .async, inputs: [:]))
            }
        }
        let reopened = try SQLiteExecutionStore(path: path)
        #expect(
            try await reopened.claimInterrupted(maxResumes: 5, limit: 2, at: Date()).map(\.id) == ["first", "second"])
        #expect(try await reopened.claimInterrupted(maxResumes: 5, limit: 0, at: Date()).isEmpty)
        #expect(try await reopened.claimInterrupted(maxResumes: 5, limit: 2, at: Date()).map(\.id) == ["third"])
        #expect(try await reopened.claimInterrupted(maxResumes: 5, at: Date()).isEmpty)
    }

    @Test func changesCommittedTogetherFailAloneAndTheOthersAreKept() async throws {
        let path = StoreFiles.newPath()
        let store = try SQLiteExecutionStore(path: path)
        try await store.create(ExecutionRecord(id: "taken", flowName: "F", mode: .async, inputs: [:]))
        let outcomes = await withTaskGroup(of: (ExecutionID, Bool).self) { group in
            for index in 0..<40 {
                // Every tenth reuses an id already stored: the insert fails, inside the batch it shares.
                let id = ExecutionID(rawValue: index.isMultiple(of: 10) ? "taken" : "run-\(index)")
                group.addTask {
                    do {
                        try await store.create(ExecutionRecord(id: id, flowName: "F", mode: .async, inputs: [:]))
                        return (id, true)
                    } catch {
                        return (id, false)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { !$0.1 }.map(\.0) == Array(repeating: "taken", count: 4))
        #expect(try await store.records(flow: "F", limit: 100).count == 37, "36 new runs committed, and the first")
    }

    @Test func aRunInterruptedTooOftenWithoutJournalingAStepIsFailedInsteadOfClaimed() async throws {
        let path = StoreFiles.newPath()
        do {
            let store = try SQLiteExecutionStore(path: path)
            var poison = ExecutionRecord(id: "poison", flowName: "F", mode: .async, inputs: [:])
            poison.resumes = 2
            poison.stalledResumes = 1
            try await store.create(poison)
            var progressing = ExecutionRecord(id: "progressing", flowName: "F", mode: .async, inputs: [:])
            progressing.resumes = 7
            progressing.stalledResumes = 1
            try await store.create(progressing)
            try await store.appendJournal(Self.entry(path: "0"), execution: "progressing")
        }
        let reopened = try SQLiteExecutionStore(path: path)
        let claimed = try await reopened.claimInterrupted(maxResumes: 2, at: Date())
        #expect(claimed.map(\.id) == ["progressing"])
        #expect(claimed.first?.stalledResumes == 0)
        #expect(claimed.first?.journaledAtResume == 1)
        let failed = try #require(try await reopened.record(id: "poison"))
        #expect(failed.status == .failed)
        #expect(failed.result?.failure?.type == "ExecutionInterrupted")
        #expect(failed.result?.failure?.message.contains("3 times in a row without finishing another step") == true)
        #expect(failed.endTime != nil)
    }

    static func entry(path: String) -> StepJournalEntry {
        StepJournalEntry(
            path: StepPath(path), stepId: "s", task: "T", inputs: [:], attempts: 1, outcome: .completed(output: .null),
            startedAt: Date(), finishedAt: Date()
        )
    }

    @Test func theStepJournalSurvivesReopeningAndGoesWithItsRecord() async throws {
        let path = StoreFiles.newPath()
        let entry = StepJournalEntry(
            path: StepPath("2[1].branch0.0"), stepId: "charge", task: "Charge", inputs: ["amount": 4.5], attempts: 2,
            outcome: .completed(output: ["id": "ch_1", "at": .null]), startedAt: Date(timeIntervalSince1970: 10),
            finishedAt: Date(timeIntervalSince1970: 11.25)
        )
        let failed = StepJournalEntry(
            path: StepPath("3"), stepId: "ship", task: "Ship", inputs: [:], attempts: 1,
            outcome: .failed(message: "no truck", type: "ShippingError"), startedAt: Date(timeIntervalSince1970: 12),
            finishedAt: Date(timeIntervalSince1970: 13)
        )
        do {
            let store = try SQLiteExecutionStore(path: path, maxRecords: 1)
            try await store.create(ExecutionRecord(id: "run", flowName: "F", mode: .async, inputs: [:]))
            try await store.appendJournal(entry, execution: "run")
            try await store.appendJournal(failed, execution: "run")
            #expect(store.keepsJournal)
        }
        let reopened = try SQLiteExecutionStore(path: path, maxRecords: 1)
        #expect(try await reopened.journal(id: "run") == [entry, failed])
        #expect(try await reopened.journal(id: "unknown").isEmpty)
        // Finishing the run and then a newer one, the next purge deletes the first (one record kept) with its journal.
        let result = ExecutionResult(executionId: "run", flowName: "F", status: .completed)
        _ = try await reopened.finish(id: "run", result: result, events: [], at: Date())
        try await reopened.create(ExecutionRecord(id: "next", flowName: "F", mode: .sync, inputs: [:]))
        let next = ExecutionResult(executionId: "next", flowName: "F", status: .completed)
        _ = try await reopened.finish(id: "next", result: next, events: [], at: Date())
        #expect(try await reopened.purge(at: Date()) == 1)
        #expect(try await reopened.record(id: "run") == nil)
        #expect(try await reopened.journal(id: "run").isEmpty)
    }

    @Test func aPurgeDeletesEveryDueRecordInBoundedTransactionsAndNoRunningOne() async throws {
        let store = try SQLiteExecutionStore(path: StoreFiles.newPath(), maxRecords: 10)
        let start = Date(timeIntervalSince1970: 1_000)
        try await store.create(
            ExecutionRecord(id: "oldest-running", flowName: "F", mode: .async, inputs: [:], startTime: start))
        let count = SQLiteExecutionStore.purgeBatch + 100
        try await withThrowingDiscardingTaskGroup { group in
            for index in 0..<count {
                group.addTask {
                    let id = ExecutionID(rawValue: "done-\(index)")
                    try await store.create(
                        ExecutionRecord(
                            id: id, flowName: "F", mode: .sync, inputs: [:],
                            startTime: start.addingTimeInterval(Double(index + 1))))
                    let result = ExecutionResult(executionId: id, flowName: "F", status: .completed)
                    _ = try await store.finish(id: id, result: result, events: [], at: Date())
                }
            }
        }
        #expect(try await store.purge(at: Date()) == count - 9)
        let kept = try await store.records(flow: nil, limit: 100).map(\.id.rawValue)
        #expect(kept == ["oldest-running"] + (count - 9..<count).map { "done-\($0)" })
        #expect(try await store.purge(at: Date()) == 0)
    }

    @Test func aRunEndingBeforeItsCreationIsWrittenLeavesNoJournalAndALaterRunsCreationKeepsIt() async throws {
        let store = try SQLiteExecutionStore(path: StoreFiles.newPath())
        let entry = StepJournalEntry(
            path: StepPath("0"), stepId: "s0", task: "T", inputs: [:], attempts: 1, outcome: .completed(output: [:]),
            startedAt: Date(), finishedAt: Date())
        let quick = ExecutionRecord(id: "quick", flowName: "F", mode: .sync, inputs: [:])
        let gate = GroupCommitTests.holdWriter(store.database)
        let creation = store.queueCreate(quick)
        let step = store.queueJournal(entry, execution: "quick")
        let result = ExecutionResult(executionId: "quick", flowName: "F", status: .completed)
        // Runs until it waits for its write: the finished record has replaced the creation by then.
        let finishing = Task.immediate { try await store.finish(quick, result: result, events: [], at: Date()) }
        gate.signal()
        _ = try await finishing.value
        try await creation.committed()
        try await step.committed()
        #expect(try await store.record(id: "quick")?.status == .completed)
        #expect(try await store.journal(id: "quick").isEmpty)

        let slow = ExecutionRecord(id: "slow", flowName: "F", mode: .sync, inputs: [:])
        try await store.queueCreate(slow).committed()
        try await store.queueJournal(entry, execution: "slow").committed()
        _ = try await store.finish(slow, result: result, events: [], at: Date())
        #expect(try await store.journal(id: "slow").map(\.stepId) == ["s0"])
    }

    @Test func aSecondStoreOnTheSameFileIsRefusedNamingIt() throws {
        let path = StoreFiles.newPath()
        let first = try SQLiteExecutionStore(path: path)
        #expect(throws: SQLiteStoreError.inUse(path: path)) { try SQLiteExecutionStore(path: path) }
        #expect(SQLiteStoreError.inUse(path: path).description.contains("in use by another FlowLang server"))
        _ = first
    }

    @Test func aFileThatIsNotADatabaseIsAClearError() throws {
        let path = StoreFiles.newPath()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("this is not an SQLite database, just text long enough to fill a header page".utf8).write(
            to: URL(fileURLWithPath: path))
        #expect {
            try SQLiteExecutionStore(path: path)
        } throws: { error in
            guard case .cannotOpen(let failedPath, _)? = error as? SQLiteStoreError else { return false }
            return failedPath == path
        }
        let error = #expect(throws: SQLiteStoreError.self) { try SQLiteExecutionStore(path: path) }
        #expect(error?.description.contains("not an SQLite database, or it is damaged") == true)
        #expect(error?.description.contains("move it aside") == true)
    }

    @Test func aDirectoryThatCannotBeCreatedIsAClearError() throws {
        let blocker = StoreFiles.newPath()
        try FileManager.default.createDirectory(
            atPath: (blocker as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: blocker))
        let path = blocker + "/inside/executions.sqlite"
        #expect(throws: SQLiteStoreError.self) { try SQLiteExecutionStore(path: path) }
    }
}
