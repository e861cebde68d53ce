import FlowCore
import FlowPostgres
import FlowTesting
import Foundation
import OrderedCollections
import Testing

@testable import FlowServer

/// `LISTEN`/`NOTIFY` between instances on one schema: a run released for others to claim and a cancel request
/// reach the other instances as notices, so they act at once rather than at their next poll.
@Suite(
    .enabled(if: TestDatabase.isAvailable, "set FLOWLANG_TEST_POSTGRES_URL (scripts/postgres-test-server.sh start)"),
    .timeLimit(.minutes(1)))
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
}
