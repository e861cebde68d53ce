import FlowCore
import FlowServer
import FlowTesting
import Foundation
import OrderedCollections
import Testing

/// How an execution record's status moves (``ExecutionTransition``), and the store applying each change
/// atomically, so a cancel request racing the end of a run never leaves it "running".
@Suite struct ExecutionLifecycleTests {
    static func running(_ id: ExecutionID = "e-1") -> ExecutionRecord {
        ExecutionRecord(id: id, flowName: "F", mode: .async, inputs: [:])
    }

    static func result(_ status: ExecutionResult.Status, id: ExecutionID = "e-1") -> ExecutionResult {
        ExecutionResult(executionId: id, flowName: "F", status: status)
    }

    // MARK: The pure transitions

    @Test func aCancelRequestKeepsTheRecordRunningWithTheFirstReason() throws {
        var record = Self.running()
        try record.apply(.requestCancel(reason: "first"))
        try record.apply(.requestCancel(reason: "second"))
        #expect(record.status == .running)
        #expect(record.cancelReason == "first")
    }

    @Test(arguments: [
        (ExecutionResult.Status.completed, ExecutionRecord.Status.completed),
        (.terminated, .completed),
        (.failed, .failed),
        (.cancelled, .cancelled),
    ])
    func finishingSetsTheStatusFromTheResult(result: ExecutionResult.Status, status: ExecutionRecord.Status) throws {
        var record = Self.running()
        try record.apply(.finish(result: Self.result(result), events: [], at: Date()))
        #expect(record.status == status)
        #expect(record.endTime != nil)
    }

    @Test func aFinishedRecordNeverChangesAgain() throws {
        var record = Self.running()
        try record.apply(.finish(result: Self.result(.completed), events: [], at: Date()))
        let finished = record
        #expect(throws: ExecutionTransitionError(executionId: "e-1", status: .completed, transition: "finish")) {
            try record.apply(.finish(result: Self.result(.failed), events: [], at: Date()))
        }
        #expect(throws: ExecutionTransitionError.self) { try record.apply(.requestCancel(reason: "late")) }
        #expect(record.status == finished.status)
        #expect(record.cancelReason == nil)
    }

    @Test func finishingKeepsACancelRequestMadeWhileRunning() throws {
        var record = Self.running()
        try record.apply(.requestCancel(reason: "Cancelled by user request"))
        try record.apply(.finish(result: Self.result(.completed), events: [], at: Date()))
        #expect(record.status == .completed, "the run completed before it saw the request")
        #expect(record.cancelReason == "Cancelled by user request")
    }

    @Test func claimingARunCancelledBeforeAnyStepRanFinishesItCancelledInsteadOfResumingIt() throws {
        var record = Self.running()
        try record.apply(.requestCancel(reason: "Cancelled by user request"))
        #expect(try record.claimInterrupted(maxResumes: 5, journaledSteps: 0, at: Date()) == false)
        #expect(record.status == .cancelled)
        #expect(record.result?.reason == "Cancelled by user request")
        #expect(record.resumes == 0)
        let last = try #require(record.events.last)
        #expect(last.name == "flow_cancelled", "a client following the run sees it end")
        #expect(last.data["reason"]?.stringValue == "Cancelled by user request")
    }

    @Test func claimingACancelledRunWithJournaledStepsResumesItSoItsCleanupRuns() throws {
        var record = Self.running()
        try record.apply(.requestCancel(reason: "Cancelled by user request"))
        #expect(try record.claimInterrupted(maxResumes: 5, journaledSteps: 2, at: Date()))
        #expect(record.status == .running)
        #expect(record.resumes == 1)
        #expect(record.cancelReason == "Cancelled by user request")
    }

    // MARK: The memory store

    @Test func aCancelRequestAfterTheRunFinishedLeavesTheFinishedRecord() async throws {
        let store = MemoryExecutionStore()
        try await store.create(Self.running())
        _ = try await store.finish(id: "e-1", result: Self.result(.completed), events: [], at: Date())
        let after = try await store.requestCancel(id: "e-1", reason: "too late")
        #expect(after?.status == .completed)
        #expect(after?.cancelReason == nil)
        #expect(try await store.requestCancel(id: "unknown", reason: "x") == nil)
    }

    @Test func finishingTwiceOrAnUnknownExecutionIsRefused() async throws {
        let store = MemoryExecutionStore()
        try await store.create(Self.running())
        _ = try await store.finish(id: "e-1", result: Self.result(.failed), events: [], at: Date())
        await #expect(throws: ExecutionTransitionError.self) {
            try await store.finish(id: "e-1", result: Self.result(.completed), events: [], at: Date())
        }
        await #expect(throws: ExecutionTransitionError(executionId: "nope", status: nil, transition: "finish")) {
            try await store.finish(id: "nope", result: Self.result(.completed), events: [], at: Date())
        }
        #expect(try await store.record(id: "e-1")?.status == .failed)
    }

    @Test func cancelRequestsRacingTheEndOfRunsNeverLeaveOneRunning() async throws {
        // Before intent verbs, cancel read the running record, the run stored its result, and cancel wrote
        // the stale running copy back: the execution stayed running forever.
        let store = MemoryExecutionStore(maxRecords: 10_000)
        let ids = (0..<500).map { ExecutionID(rawValue: "race-\($0)") }
        for id in ids { try await store.create(Self.running(id)) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in ids {
                group.addTask {
                    _ = try await store.finish(id: id, result: Self.result(.completed, id: id), events: [], at: Date())
                }
                group.addTask { _ = try await store.requestCancel(id: id, reason: "racing") }
            }
            try await group.waitForAll()
        }
        let records = try await store.records(flow: "F", limit: 10_000)
        #expect(records.count == 500)
        #expect(records.allSatisfy { $0.status == .completed })
    }

    @Test func theServiceCancellingRunsAsTheyEndLeavesEachFinished() async throws {
        let service = ExecutionService(
            store: MemoryExecutionStore(), logger: TestFlowServer.logger, clock: ImmediateClock())
        let flow = try TestFlowServer.served(ServerFlows.quick)
        let ids = (0..<200).map { ExecutionID(rawValue: "run-\($0)") }
        await withTaskGroup(of: Void.self) { group in
            for (n, id) in ids.enumerated() {
                group.addTask { _ = await service.execute(flow, inputs: ["n": .int(n)], mode: .sync, id: id) }
                group.addTask { _ = await service.cancel(id: id, reason: "racing") }
            }
        }
        for id in ids {
            let stored = try #require(try await service.store.record(id: id))
            #expect(stored.status == .completed || stored.status == .cancelled, "\(id) is \(stored.status)")
        }
        #expect(service.runningCount == 0)
    }
}
