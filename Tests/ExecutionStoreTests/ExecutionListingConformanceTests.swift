import FlowCore
import FlowServer
import Foundation
import OrderedCollections
import Testing

/// Listing executions across flows (`GET /executions`, the console) answers the same in every store: newest
/// first, filtered, and paged by a cursor that neither repeats nor skips a record.
@Suite struct ExecutionListingConformanceTests {
    typealias Kind = ExecutionStoreConformanceTests.Kind

    /// Ten records: flows A and B alternating, one a second from `base`, every third failed, keys `key-<i>`.
    static func seed(_ store: any ExecutionStore, base: Date) async throws -> [ExecutionRecord] {
        var records: [ExecutionRecord] = []
        for index in 0..<10 {
            let id = ExecutionID(rawValue: "exec-\(index)")
            let record = ExecutionRecord(
                id: id, flowName: index % 2 == 0 ? "A" : "B", mode: .async, inputs: ["n": .int(index)],
                startTime: base.addingTimeInterval(Double(index)), idempotencyKey: "key-\(index)"
            )
            try await store.create(record)
            let status: ExecutionResult.Status = index % 3 == 0 ? .failed : .completed
            let result = ExecutionResult(executionId: id, flowName: record.flowName, status: status, outputs: [:])
            records.append(
                try await store.finish(id: id, result: result, events: [], at: record.startTime.addingTimeInterval(0.5))
            )
        }
        return records
    }

    /// A minute ago with microseconds, so that stores keep the records (they drop old ones) and the cursor meets
    /// a time PostgreSQL rounds.
    static let base = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 60).rounded(.down) + 0.123456)

    @Test(arguments: Kind.available)
    func pagesFollowTheCursorNewestFirstWithoutRepeatsOrGaps(kind: Kind) async throws {
        try await kind.withStore { store in
            _ = try await Self.seed(store, base: Self.base)
            var seen: [ExecutionID] = []
            var query = ExecutionQuery(limit: 3)
            var pages = 0
            while true {
                let page = try await store.executions(matching: query)
                seen += page.records.map(\.id)
                pages += 1
                guard let next = page.next else { break }
                query.cursor = ExecutionCursor(token: next.token)
            }
            #expect(seen == (0..<10).reversed().map { "exec-\($0)" })
            #expect(pages == 4)
        }
    }

    @Test(arguments: Kind.available)
    func filtersByFlowStatusTimeAndTextAgreeWithTheReferenceFilter(kind: Kind) async throws {
        try await kind.withStore { store in
            let records = try await Self.seed(store, base: Self.base)
            let queries = [
                ExecutionQuery(flow: "A", limit: 50),
                ExecutionQuery(statuses: [.failed], limit: 50),
                ExecutionQuery(statuses: [.failed, .completed], limit: 50),
                ExecutionQuery(
                    startedFrom: Self.base.addingTimeInterval(3), startedBefore: Self.base.addingTimeInterval(7),
                    limit: 50),
                ExecutionQuery(text: "key-7", limit: 50),
                ExecutionQuery(text: "exec-1", limit: 50),
                ExecutionQuery(flow: "B", statuses: [.completed], text: "exec", limit: 2),
            ]
            for query in queries {
                let expected = query.page(of: records).records.map(\.id)
                let listed = try await store.executions(matching: query).records.map(\.id)
                #expect(listed == expected, "\(query)")
                #expect(!listed.isEmpty, "\(query)")
            }
        }
    }

    @Test(arguments: Kind.available)
    func aCursorWhoseExecutionWasEvictedStillResumesAfterItsTime(kind: Kind) async throws {
        try await kind.withStore { store in
            _ = try await Self.seed(store, base: Self.base)
            let gone = ExecutionCursor(
                startTime: Self.base.addingTimeInterval(4.5).timeIntervalSince1970, id: "exec-gone")
            let page = try await store.executions(matching: ExecutionQuery(cursor: gone, limit: 50))
            #expect(page.records.map(\.id) == (0...4).reversed().map { ExecutionID(rawValue: "exec-\($0)") })
            #expect(page.next == nil)
        }
    }

    @Test func malformedCursorTokensAreRefused() {
        #expect(ExecutionCursor(token: "not base64 !") == nil)
        #expect(ExecutionCursor(token: "aGVsbG8") == nil)
        let cursor = ExecutionCursor(startTime: 1_780_000_000.123456, id: "a|b")
        #expect(ExecutionCursor(token: cursor.token) == cursor)
    }
}
