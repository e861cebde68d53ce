import FlowCore
import FlowServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OrderedCollections
import Testing

/// Replays every request recorded against the original server for `hello_world_impl` (Swift tasks) and
/// `hello_world` (stubs) and compares the answers: the same status code and content type, and every key of the
/// recorded JSON body present in ours with the same JSON type (values are not compared). Event streams are
/// compared event by event (names in order, then each event's data keys).
///
/// Each case runs on a fresh server after replaying the recording's earlier POSTs, so execution records exist
/// as they did when the original answered; a recorded execution id in a path is replaced by ours.
///
/// Documented divergences (REC fixes in the spec) are the only exceptions:
///
/// | request (both setups unless noted) | recorded | ours | why |
/// |---|---|---|---|
/// | `GET /flows/HelloWorld/tasks` | 500 `Internal server error: 'pending'` | 200, the intended `{flow, tasks, summary}` | B1; spec §4.4 and S55: implement the intended shape |
/// | `POST …/execute` `alt_inputs` ("A"), `empty_user_name` ("") (impl) | 200 `success:false`, `outputs:null`, `error:"'Unknown variable root: greet'"` | 200 `success:true`, outputs with nulls, `error:null` | B4; spec decisions: an output whose step did not run resolves to null |
/// | `POST …/execute/stream` `alt_inputs` (impl) | ends with `flow_failed` | ends with `flow_completed` | B4, as above |
/// | `POST /flows/NoSuchFlow/execute` `unknown_flow_bad_body` (`{}`) | 422 (the one flow's body model is checked before the flow name) | 404 `Flow not found` | the route's flow is resolved first, as the original's multi-flow server does; clients only look at 404 |
/// | `GET /openapi.json` | FastAPI's document | ours | generated, not copied: compared to depth two (top-level keys, `info`, every recorded path) |
@Suite(
    .enabled(if: ReferenceResponses.isAvailable, ReferenceResponses.unavailableReason),
    .timeLimit(.minutes(2))
)
struct CompatibilityTests {
    static let implemented = ReferenceResponses.exchanges(setup: "hello_world_impl")
    static let stubbed = ReferenceResponses.exchanges(setup: "hello_world")

    /// A documented divergence for one recorded request.
    struct Exception {
        var status: Int?
        /// JSON paths whose shape is not compared.
        var ignoredPaths: Set<String> = []
        /// Whether the body is not compared at all.
        var skipBody = false
        /// Whether the SSE event names may differ (then only common leading events are compared).
        var eventsDiffer = false
        /// Compare only top-level keys, `info`, and the recorded `paths` keys.
        var depthTwo = false
    }

    /// Keyed by `RecordedExchange.request` (the file name without the setup); `setup` restricts one to a setup.
    static func exception(for exchange: RecordedExchange) -> Exception? {
        switch exchange.request {
        case "GET_flows_HelloWorld_tasks.http":
            return Exception(status: 200, skipBody: true)
        case "POST_flows_HelloWorld_execute__alt_inputs.http", "POST_flows_HelloWorld_execute__empty_user_name.http":
            return exchange.setup == "hello_world_impl" ? Exception(ignoredPaths: ["$.outputs", "$.error"]) : nil
        case "POST_flows_HelloWorld_execute_stream__alt_inputs.http":
            return exchange.setup == "hello_world_impl" ? Exception(eventsDiffer: true) : nil
        case "POST_flows_NoSuchFlow_execute__unknown_flow_bad_body.http":
            return Exception(status: 404, skipBody: true)
        case "GET_openapi.json.http":
            return Exception(depthTwo: true)
        default:
            return nil
        }
    }

    @Test(arguments: implemented)
    func implementedHelloWorldAnswersLikeTheOriginal(_ exchange: RecordedExchange) async throws {
        try await Self.replay(exchange, among: Self.implemented, registry: HelloWorldFlow.implemented)
    }

    @Test(arguments: stubbed)
    func stubbedHelloWorldAnswersLikeTheOriginal(_ exchange: RecordedExchange) async throws {
        try await Self.replay(exchange, among: Self.stubbed, registry: HelloWorldFlow.stubs)
    }

    @Test func recordingsCoverBothSetups() {
        #expect(Self.implemented.count >= 40)
        #expect(Self.stubbed.count >= 35)
        #expect(Self.implemented.contains { $0.request == "POST_flows_HelloWorld_execute__good_inputs.http" })
    }

    // MARK: Replay

    static var recordedIdPattern: Regex<Substring> { /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/ }

    static func replay(_ target: RecordedExchange, among all: [RecordedExchange], registry: TaskRegistry) async throws {
        let app = try TestFlowServer.single(HelloWorldFlow.yaml, registry: registry)
        try await app.test(.router) { client in
            var executionIds: [String] = []
            for earlier in all.prefix(while: { $0.file != target.file }) where earlier.method == "POST" {
                let response = try await send(earlier, with: client, executionIds: executionIds)
                if earlier.path.hasSuffix("/execute"), response.status == .ok, let id = response.executionId {
                    executionIds.append(id)
                }
            }
            let response = try await send(target, with: client, executionIds: executionIds)
            compare(target, with: response, exception: exception(for: target))
        }
    }

    static func send(_ exchange: RecordedExchange, with client: some TestClientProtocol, executionIds: [String])
        async throws
        -> TestResponse
    {
        var path = exchange.path
        if let match = path.firstMatch(of: recordedIdPattern), match.output != "00000000-0000-0000-0000-000000000000" {
            path.replaceSubrange(match.range, with: executionIds.first ?? "no-execution-recorded")
        }
        let method = HTTPRequest.Method(rawValue: exchange.method) ?? .get
        var headers = HTTPFields()
        var body: ByteBuffer?
        if method == .post {
            headers[.contentType] = exchange.variant == "text_plain" ? "text/plain" : "application/json"
            body = ByteBuffer(string: exchange.requestBody)
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: body)
    }

    static func compare(_ recorded: RecordedExchange, with response: TestResponse, exception: Exception?) {
        let expectedStatus = exception?.status ?? recorded.status
        // A different status means a different body; one issue is enough.
        guard Int(response.status.code) == expectedStatus else {
            Issue.record(
                "status \(response.status.code), recorded \(expectedStatus); ours: \(response.text.prefix(300))")
            return
        }
        guard exception?.skipBody != true else { return }

        let recordedType = recorded.contentType
        let ourType = response.headers[.contentType] ?? ""
        #expect(ourType == recordedType, "content type")

        if recordedType.hasPrefix("application/json") {
            guard let expected = try? FlowValue(json: recorded.body) else {
                Issue.record("the recorded body is not JSON: \(recorded.body.prefix(200))")
                return
            }
            guard let actual = try? response.json() else {
                Issue.record("our body is not JSON: \(response.text.prefix(300))")
                return
            }
            if exception?.depthTwo == true {
                compareDepthTwo(expected, actual)
            } else {
                let differences = JSONShape.differences(
                    expected: expected, actual: actual, ignoring: exception?.ignoredPaths ?? [])
                #expect(differences == [], "ours: \(response.text.prefix(400))")
            }
        } else if recordedType.hasPrefix("text/event-stream") {
            compareEvents(
                SSEText.frames(recorded.body), SSEText.frames(response.text),
                namesMayDiffer: exception?.eventsDiffer == true)
        } else if recordedType.hasPrefix("text/html") {
            #expect(response.text.contains("<html"), "an HTML page")
        }
    }

    static func compareEvents(_ recorded: [SSEFrame], _ ours: [SSEFrame], namesMayDiffer: Bool) {
        let recordedNames = recorded.compactMap(\.event)
        let ourNames = ours.compactMap(\.event)
        if !namesMayDiffer {
            #expect(ourNames == recordedNames, "event names")
        }
        for (index, (expected, actual)) in zip(recorded, ours).enumerated() where expected.event == actual.event {
            guard let expectedData = expected.data else { continue }
            guard let actualData = actual.data else {
                Issue.record("event \(index) (\(actual.event ?? "?")) has no JSON data: \(actual.raw)")
                continue
            }
            let differences = JSONShape.differences(
                expected: expectedData, actual: actualData, path: "$[\(index)].\(expected.event ?? "")")
            #expect(differences == [], "event \(index): \(actual.raw.prefix(300))")
        }
    }

    static func compareDepthTwo(_ expected: FlowValue, _ actual: FlowValue) {
        for key in expected.keys {
            #expect(actual[key] != nil, "top-level key \(key)")
        }
        if let info = expected["info"] {
            #expect(JSONShape.differences(expected: info, actual: actual["info"] ?? .null, path: "$.info") == [])
        }
        for path in expected["paths"]?.keys ?? [] {
            #expect(actual[path: "paths"]?[path] != nil, "path \(path)")
        }
    }
}
