import FlowCore
import FlowServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `GET /executions`: every flow's executions newest first, filtered, paged by an opaque cursor; and the
/// execution record carrying its inputs, for running it again.
@Suite(.timeLimit(.minutes(1)))
struct ExecutionListTests {
    @Test func pagesListEveryExecutionNewestFirstUntilTheCursorRunsOut() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            var ids: [String] = []
            for name in ["Alice", "boom", "Bob"] {
                ids.append(
                    try #require(
                        try await client.executeFlow("Greeting", inputs: ["user_name": .string(name)]).executionId))
            }
            let first = try await client.get("/executions?limit=2").json()
            #expect(first.keys == ["executions", "count", "next_cursor"])
            #expect(
                first["executions"]?.arrayValue?.compactMap { $0["execution_id"]?.stringValue } == [ids[2], ids[1]])
            let cursor = try #require(first["next_cursor"]?.stringValue)
            let second = try await client.get("/executions?limit=2&cursor=\(cursor)").json()
            #expect(second["executions"]?.arrayValue?.compactMap { $0["execution_id"]?.stringValue } == [ids[0]])
            #expect(second["next_cursor"] == .null)
        }
    }

    @Test func statusFlowAndTextFiltersCombineAndEmptyOnesAreIgnored() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            var ids: [String] = []
            for name in ["Alice", "boom", "Bob"] {
                ids.append(
                    try #require(
                        try await client.executeFlow("Greeting", inputs: ["user_name": .string(name)]).executionId))
            }
            let failed = try await client.get("/executions?status=failed&flow=Greeting&q=&since=").json()
            #expect(failed["executions"]?.arrayValue?.compactMap { $0["execution_id"]?.stringValue } == [ids[1]])
            let byText = try await client.get("/executions?q=\(ids[2])").json()
            #expect(byText["count"] == 1)
            let otherFlow = try await client.get("/executions?flow=Nope").json()
            #expect(otherFlow["count"] == 0)
            let future = try await client.get("/executions?since=2999-01-01T00:00").json()
            #expect(future["count"] == 0)
        }
    }

    @Test(arguments: ["status=lost", "cursor=!!", "limit=0", "limit=501", "since=yesterday"])
    func malformedParametersAreAnswered422(query: String) async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let response = try await client.get("/executions?\(query)")
            #expect(response.status == .unprocessableContent)
            let name = String(query.prefix { $0 != "=" })
            #expect(try response.json()["detail"]?.arrayValue?.first?["loc"] == ["query", .string(name)])
        }
    }

    @Test func theRecordCarriesItsInputsAndTheListingLeavesThemOut() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let id = try #require(try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"]).executionId)
            let record = try await client.get("/flows/Greeting/executions/\(id)").json()
            #expect(record["inputs"]?["user_name"] == "Alice")
            #expect(record["idempotency_key"] == .null)
            let listed = try await client.get("/executions").json()
            #expect(listed["executions"]?.arrayValue?.first?["inputs"] == nil)
            #expect(listed["executions"]?.arrayValue?.first?["idempotency_key"] == .null)
        }
    }
}
