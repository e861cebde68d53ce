import FlowCore
import FlowSQLite
import FlowServer
import Foundation
import OrderedCollections
import Testing

/// What only a durable store does: records outlive the store that wrote them, one server per file, and
/// clear errors for files it cannot use.
@Suite struct SQLiteExecutionStoreTests {
    @Test func recordsSurviveReopeningTheFile() async throws {
        let path = StoreFiles.newPath()
        do {
            let store = try SQLiteExecutionStore(path: path)
            try await store.create(ExecutionRecord(id: "kept", flowName: "F", mode: .sync, inputs: ["n": 1]))
            let result = ExecutionResult(executionId: "kept", flowName: "F", status: .completed, outputs: ["ok": true], duration: .milliseconds(12))
            _ = try await store.finish(id: "kept", result: result, events: [], at: Date())
        }
        let reopened = try SQLiteExecutionStore(path: path)
        let record = try #require(try await reopened.record(id: "kept"))
        #expect(record.status == .completed)
        #expect(record.result?.outputs["ok"] == true)
        #expect(record.result?.duration == .milliseconds(12))
        #expect(record.inputs["n"] == 1)
    }

    @Test func runsAServerLeftRunningAreFailedAsInterruptedWhenTheFileIsOpenedAgain() async throws {
        let path = StoreFiles.newPath()
        do {
            let store = try SQLiteExecutionStore(path: path)
            try await store.create(ExecutionRecord(id: "in-flight", flowName: "F", mode: .async, inputs: [:]))
            try await store.create(ExecutionRecord(id: "done", flowName: "F", mode: .sync, inputs: [:]))
            let result = ExecutionResult(executionId: "done", flowName: "F", status: .completed)
            _ = try await store.finish(id: "done", result: result, events: [], at: Date())
            #expect(store.interruptedRuns.isEmpty)
        }
        let reopened = try SQLiteExecutionStore(path: path)
        #expect(reopened.interruptedRuns == ["in-flight"])
        let interrupted = try #require(try await reopened.record(id: "in-flight"))
        #expect(interrupted.status == .failed)
        #expect(interrupted.result?.failure?.type == "ExecutionInterrupted")
        #expect(interrupted.endTime != nil)
        #expect(try await reopened.record(id: "done")?.status == .completed)
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
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("this is not an SQLite database, just text long enough to fill a header page".utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            try SQLiteExecutionStore(path: path)
        } throws: { error in
            guard case .cannotOpen(let failedPath, _)? = error as? SQLiteStoreError else { return false }
            return failedPath == path
        }
    }

    @Test func aDirectoryThatCannotBeCreatedIsAClearError() throws {
        let blocker = StoreFiles.newPath()
        try FileManager.default.createDirectory(atPath: (blocker as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: blocker))
        let path = blocker + "/inside/executions.sqlite"
        #expect(throws: SQLiteStoreError.self) { try SQLiteExecutionStore(path: path) }
    }
}
