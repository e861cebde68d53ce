import FlowCore
import FlowServer
import Foundation
import GRDB
import OrderedCollections
import Synchronization
import Testing

@testable import FlowSQLite

/// A queued creation is inserted as the finished record when the run ends before it is written.
@Suite struct UnwrittenCreationTests {
    static let running = ExecutionRecord(id: "r", flowName: "F", mode: .sync, inputs: [:])

    /// Writes `creation`, returning the row inserted (`nil` when it inserted none).
    static func written(_ creation: UnwrittenCreation) throws -> StatementArguments? {
        let inserted = Mutex<StatementArguments?>(nil)
        try creation.write(encode: { _ in ["running row"] }) { row in inserted.withLock { $0 = row } }
        return inserted.withLock { $0 }
    }

    @Test func aRunEndingBeforeItsCreationIsWrittenHasItsFinishedRecordInserted() throws {
        let creation = UnwrittenCreation(Self.running)
        creation.finish(with: ["finished row"])
        #expect(try Self.written(creation) == ["finished row"])
        #expect(creation.wroteFinishedRecord)
    }

    @Test func aCreationWrittenBeforeTheRunEndsInsertsTheRunningRecordOnce() throws {
        let creation = UnwrittenCreation(Self.running)
        #expect(try Self.written(creation) == ["running row"])
        creation.finish(with: ["finished row"])
        #expect(!creation.wroteFinishedRecord)
        #expect(try Self.written(creation) == nil)
    }

    @Test func aChangeAskedForBeforeTheCreationIsWrittenKeepsItRunning() throws {
        let creation = UnwrittenCreation(Self.running)
        creation.keepRunning()
        creation.finish(with: ["finished row"])
        #expect(try Self.written(creation) == ["running row"])
        #expect(!creation.wroteFinishedRecord)
    }

    @Test func aCreationThatFailsToInsertDoesNotCountAsWrittenFinished() {
        let creation = UnwrittenCreation(Self.running)
        creation.finish(with: ["finished row"])
        #expect(throws: DatabaseError.self) {
            try creation.write(encode: { _ in [] }) { _ in throw DatabaseError(resultCode: .SQLITE_CONSTRAINT) }
        }
        #expect(!creation.wroteFinishedRecord)
    }
}
