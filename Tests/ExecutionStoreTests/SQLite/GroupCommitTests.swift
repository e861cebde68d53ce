import FlowCore
import Foundation
import GRDB
import Testing

@testable import FlowSQLite

/// The order in which the writer commits queued changes: a run's queued writes wait one batch for its end.
@Suite struct GroupCommitTests {
    /// A group committing into a fresh file, and that file, whose `notes` table records each change in order.
    static func group() throws -> (GroupCommit, DatabasePool) {
        let path = StoreFiles.newPath()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let database = try DatabasePool(path: path)
        try database.write { db in
            try db.execute(sql: "CREATE TABLE notes (seq INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)")
        }
        return (GroupCommit(database: database) { _, _ in }, database)
    }

    static func note(_ name: String) -> @Sendable (Database) throws -> Void {
        { db in try db.execute(sql: "INSERT INTO notes (name) VALUES (?)", arguments: [name]) }
    }

    static func notes(_ database: DatabasePool) throws -> [String] {
        try database.read { db in try String.fetchAll(db, sql: "SELECT name FROM notes ORDER BY seq") }
    }

    @Test func aRunsQueuedWriteWaitsOneBatchWhileAnotherRunsEndIsWrittenAndGoesWithItsOwnEnd() async throws {
        let (group, database) = try Self.group()
        let creation = group.submit(for: "a", Self.note("a created"))
        try await group.write(finishesExecution: true, execution: "b", Self.note("b ended"))
        #expect(try Self.notes(database) == ["b ended"])
        try await group.write(finishesExecution: true, execution: "a", Self.note("a ended"))
        #expect(try Self.notes(database) == ["b ended", "a created", "a ended"])
        try await creation.value()
    }

    @Test func aQueuedWriteWaitsNoMoreThanOneBatch() async throws {
        let (group, database) = try Self.group()
        let creation = group.submit(for: "a", Self.note("a created"))
        try await group.write(execution: "b", Self.note("b changed"))
        try await group.write(execution: "c", Self.note("c changed"))
        #expect(try Self.notes(database) == ["b changed", "a created", "c changed"])
        try await creation.value()
    }

    @Test func aQueuedWriteWaitedForWhenNothingElseIsIsWrittenAtOnce() async throws {
        let (group, database) = try Self.group()
        let creation = group.submit(for: "a", Self.note("a created"))
        try await creation.value()
        #expect(try Self.notes(database) == ["a created"])
    }

    @Test func aChangeThatFailsIsUndoneAloneAndOnlyItsCallerGetsTheError() async throws {
        let (group, database) = try Self.group()
        try await group.write(Self.note("taken"))
        let duplicate = group.submit(for: "a", Self.note("taken"))
        let other = group.submit(for: "b", Self.note("kept"))
        await #expect(throws: DatabaseError.self) { try await duplicate.value() }
        try await other.value()
        #expect(try Self.notes(database) == ["taken", "kept"])
    }
}
