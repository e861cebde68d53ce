import Dispatch
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
        return (GroupCommit(database: database), database)
    }

    static func note(_ name: String) -> @Sendable (Database) throws -> Void {
        { db in try db.execute(sql: "INSERT INTO notes (name) VALUES (?)", arguments: [name]) }
    }

    static func notes(_ database: DatabasePool) throws -> [String] {
        try database.read { db in try String.fetchAll(db, sql: "SELECT name FROM notes ORDER BY seq") }
    }

    /// Holds the database's writer until the returned gate is opened, so that the changes queued meanwhile are
    /// all there when it looks at them.
    static func holdWriter(_ database: DatabasePool) -> DispatchSemaphore {
        let gate = DispatchSemaphore(value: 0)
        database.asyncWriteWithoutTransaction { _ in gate.wait() }
        return gate
    }

    @Test func aRunsQueuedWriteWaitsOneBatchWhileAnotherRunsEndIsWritten() async throws {
        let (group, database) = try Self.group()
        let gate = Self.holdWriter(database)
        let creation = group.submit(of: "a", mayWait: true, Self.note("a created"))
        let end = group.submit(of: "b", Self.note("b ended"))
        gate.signal()
        try await end.value()
        try await creation.value()
        #expect(try Self.notes(database) == ["b ended", "a created"])
    }

    @Test func aRunsQueuedWritesGoInTheBatchOfItsEndInTheOrderQueued() async throws {
        let (group, database) = try Self.group()
        let gate = Self.holdWriter(database)
        let creation = group.submit(of: "a", mayWait: true, Self.note("a created"))
        let step = group.submit(of: "a", mayWait: true, Self.note("a step"))
        let other = group.submit(of: "b", Self.note("b ended"))
        let end = group.submit(of: "a", Self.note("a ended"))
        gate.signal()
        for ticket in [creation, step, other, end] { try await ticket.value() }
        #expect(try Self.notes(database) == ["a created", "a step", "b ended", "a ended"])
    }

    @Test func aQueuedWriteIsWrittenAtOnceWhenNothingElseIsQueued() async throws {
        let (group, database) = try Self.group()
        let creation = group.submit(of: "a", mayWait: true, Self.note("a created"))
        try await creation.value()
        #expect(try Self.notes(database) == ["a created"])
    }

    @Test func aChangeThatFailsIsUndoneAloneAndOnlyItsCallerGetsTheError() async throws {
        let (group, database) = try Self.group()
        let gate = Self.holdWriter(database)
        let first = group.submit(of: "a", Self.note("taken"))
        let duplicate = group.submit(of: "b", Self.note("taken"))
        let other = group.submit(of: "c", Self.note("kept"))
        gate.signal()
        try await first.value()
        await #expect(throws: DatabaseError.self) { try await duplicate.value() }
        try await other.value()
        #expect(try Self.notes(database) == ["taken", "kept"])
    }

    @Test func aFullFileFailsEveryChangeOfTheBatchAndTheGroupWritesAgainOnceThereIsRoom() async throws {
        let (group, database) = try Self.group()
        try await database.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages + 1)")
        }
        let gate = Self.holdWriter(database)
        let before = group.submit(of: "a", Self.note("small"))
        let tooBig = group.submit(of: "b", Self.note(String(repeating: "x", count: 100_000)))
        let after = group.submit(of: "c", Self.note("after"))
        gate.signal()
        for ticket in [before, tooBig, after] {
            await #expect(throws: DatabaseError.self) { try await ticket.value() }
        }
        #expect(try Self.notes(database).isEmpty)
        try await database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
        try await group.write(of: "d", Self.note("room again"))
        #expect(try Self.notes(database) == ["room again"])
    }
}
