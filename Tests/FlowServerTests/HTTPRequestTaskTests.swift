import FlowCore
import FlowServer
import FlowTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OrderedCollections
import Testing

/// A Hummingbird app on 127.0.0.1 that `HttpRequest` talks to.
///
/// `/echo` (any method) answers JSON describing the request; `/status/:code` answers that status with a JSON
/// body; `/text` answers plain text; `/big` answers 4096 bytes; `/slow` answers only when `release` finishes, and
/// `/stall` sends its head and part of its body at once and the rest then; both announce arrivals on `arrivals`.
private struct HTTPTestServer: Sendable {
    let base: String
    let arrivals: AsyncStream<Void>
    let release: AsyncStream<Void>.Continuation

    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func run(_ test: @Sendable (HTTPTestServer) async throws -> Void) async throws {
        let (arrivals, arrived) = AsyncStream.makeStream(of: Void.self)
        let (released, release) = AsyncStream.makeStream(of: Void.self)
        let router = Router()
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("/echo", method: method) { request, _ -> Response in
                var request = request
                let body = try await request.collectBody(upTo: 1 << 20)
                var headers = OrderedDictionary<String, FlowValue>()
                for field in request.headers { headers[field.name.canonicalName] = .string(field.value) }
                var query = OrderedDictionary<String, FlowValue>()
                for (key, value) in request.uri.queryParameters { query[String(key)] = .string(String(value)) }
                let answer: FlowValue = [
                    "method": .string(request.method.rawValue), "path": .string(request.uri.path),
                    "query_string": request.uri.query.map(FlowValue.string) ?? .null, "query": .object(query),
                    "headers": .object(headers), "body": .string(String(buffer: body)),
                ]
                return json(answer, headers: [HTTPField.Name("X-Custom")!: "yes"])
            }
        }
        router.get("/status/:code") { _, context -> Response in
            let code = context.parameters.get("code", as: Int.self) ?? 500
            return json(["error": "boom"], status: HTTPResponse.Status(code: code))
        }
        router.get("/text") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: "plain words")))
        }
        router.get("/big") { _, _ in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: 4096)))
        }
        router.get("/slow") { _, _ -> String in
            arrived.yield()
            for await _ in released {}
            return "late"
        }
        router.get("/stall") { _, _ -> Response in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "partial"))
                    arrived.yield()
                    for await _ in released {}
                    try await writer.finish(nil)
                }
            )
        }
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            logger: quiet
        )
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // The slow route must end before the server can shut down.
            defer { release.finish() }
            try await test(HTTPTestServer(base: "http://127.0.0.1:\(port)", arrivals: arrivals, release: release))
        }
    }

    private static func json(
        _ value: FlowValue,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:]
    ) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.jsonText)))
    }
}

@Suite struct HTTPRequestTaskTests {
    static let registry: TaskRegistry = {
        var registry = TaskRegistry()
        registry.registerHTTPTasks()
        return registry
    }()

    static func call(_ inputs: FlowValue, clock: any Clock<Duration> = ContinuousClock()) async throws -> FlowValue {
        let task = try registry.callableTask(named: "HttpRequest")
        let context = TaskContext(
            executionId: "test", flowName: "Test", stepId: "request", taskName: "HttpRequest", attempt: 1,
            clock: clock, logger: HTTPTestServer.quiet
        )
        return try await task.handler(inputs, context)
    }

    /// The `TaskError` a call fails with.
    static func failure(_ inputs: FlowValue, clock: any Clock<Duration> = ContinuousClock()) async -> TaskError? {
        do {
            let output = try await call(inputs, clock: clock)
            Issue.record("expected a failure, got \(output.jsonText)")
            return nil
        } catch let error as TaskError {
            return error
        } catch {
            Issue.record("expected a TaskError, got \(error)")
            return nil
        }
    }

    @Test func isRegisteredAsABuiltin() throws {
        let task = try #require(Self.registry.task(named: "HttpRequest"))
        #expect(task.isBuiltin && task.isImplemented)
    }

    @Test func getAppendsTheQueryPercentEncoded() async throws {
        try await HTTPTestServer.run { server in
            let output = try await Self.call([
                "url": .string(server.base + "/echo?fixed=1"),
                "query": ["q": "a b&c=d+é", "n": 5, "tags": ["x", "y"], "skipped": nil],
            ])
            #expect(output["status"] == 200)
            #expect(output["ok"] == true)
            #expect(output["headers"]?["x-custom"] == "yes")
            #expect(output["headers"]?["content-type"] == "application/json")
            let echo = try #require(output["json"])
            #expect(echo["method"] == "GET")
            #expect(echo["query_string"] == "fixed=1&q=a%20b%26c%3Dd%2B%C3%A9&n=5&tags=x&tags=y")
            #expect(echo["query"]?["q"] == "a b&c=d+é")
            #expect(echo["body"] == "")
            #expect(try FlowValue(json: output["body"]?.stringValue ?? "") == echo)
        }
    }

    @Test func postSendsJSONWithItsContentType() async throws {
        try await HTTPTestServer.run { server in
            let output = try await Self.call([
                "method": "post", "url": .string(server.base + "/echo"),
                "json": ["name": "Ada", "tags": [1, 2], "admin": false],
            ])
            let echo = try #require(output["json"])
            #expect(echo["method"] == "POST")
            #expect(echo["headers"]?["content-type"] == "application/json")
            #expect(echo["body"] == #"{"name":"Ada","tags":[1,2],"admin":false}"#)
        }
    }

    @Test func textBodyAndHeadersAreSentAsGiven() async throws {
        try await HTTPTestServer.run { server in
            let output = try await Self.call([
                "method": "PUT", "url": .string(server.base + "/echo"), "body": "hello, world",
                "headers": ["X-Token": "abc", "X-Count": 3],
            ])
            let echo = try #require(output["json"])
            #expect(echo["method"] == "PUT")
            #expect(echo["body"] == "hello, world")
            #expect(echo["headers"]?["x-token"] == "abc")
            #expect(echo["headers"]?["x-count"] == "3")
            #expect(echo["headers"]?["content-type"] == "text/plain; charset=utf-8")

            let csv = try await Self.call([
                "method": "POST", "url": .string(server.base + "/echo"), "body": "a,b",
                "headers": ["Content-Type": "text/csv"],
            ])
            #expect(csv["json"]?["headers"]?["content-type"] == "text/csv")
        }
    }

    @Test func aTextResponseHasNoJSON() async throws {
        try await HTTPTestServer.run { server in
            let output = try await Self.call(["url": .string(server.base + "/text")])
            #expect(output["body"] == "plain words")
            #expect(output["json"] == .null)
            #expect(output["headers"]?["content-type"] == "text/plain")
        }
    }

    @Test func anErrorStatusIsReturnedUnlessFailOnStatus() async throws {
        try await HTTPTestServer.run { server in
            let output = try await Self.call(["url": .string(server.base + "/status/500")])
            #expect(output["status"] == 500)
            #expect(output["ok"] == false)
            #expect(output["json"] == ["error": "boom"])

            let error = await Self.failure(["url": .string(server.base + "/status/503"), "fail_on_status": true])
            #expect(error?.type == "HTTPStatusError")
            #expect(error?.message.contains("503") == true, "\(error?.message ?? "")")

            let fine = try await Self.call(["url": .string(server.base + "/status/204"), "fail_on_status": true])
            #expect(fine["status"] == 204)
            #expect(fine["ok"] == true)
        }
    }

    @Test(arguments: [
        ["url": "ftp://example.com/file"] as FlowValue,
        ["url": "not a url"],
        ["url": "http://"],
        ["url": 42],
        ["method": "GET"],
        ["url": "http://127.0.0.1/", "json": ["a": 1], "body": "b"],
        ["url": "http://127.0.0.1/", "header": ["a": "b"]],
        ["url": "http://127.0.0.1/", "headers": ["X-A": "b\r\nX-Injected: 1"]],
        ["url": "http://127.0.0.1/", "method": "GE T"],
        ["url": "http://127.0.0.1/", "timeout_ms": 0],
        ["url": "http://127.0.0.1/", "body": ["not": "text"]],
    ])
    func invalidInputsFailClearly(_ inputs: FlowValue) async {
        let error = await Self.failure(inputs)
        #expect(error?.type == "InvalidTaskInput", "\(inputs.jsonText): \(error?.message ?? "")")
        #expect(error?.message.hasPrefix("HttpRequest: ") == true)
    }

    @Test func aRequestThatTakesTooLongTimesOut() async throws {
        try await HTTPTestServer.run { server in
            let error = await Self.failure(["url": .string(server.base + "/slow"), "timeout_ms": 200])
            #expect(error?.type == "HTTPRequestError")
            #expect(error?.message.contains("timed out after 200 ms") == true, "\(error?.message ?? "")")
        }
    }

    @Test func aBodyThatStallsTimesOutOnTheExecutionsClock() async throws {
        try await HTTPTestServer.run { server in
            // A minute on the wall clock for the head (the client's own deadline), so only the test's clock can
            // end the wait for the body.
            let clock = ManualClock()
            async let failure = Self.failure(
                ["url": .string(server.base + "/stall"), "timeout_ms": 60_000], clock: clock)
            await clock.waitForSleepers(count: 1)
            clock.advance(by: .seconds(60))
            let error = await failure
            #expect(error?.type == "HTTPRequestError")
            #expect(error?.message.contains("timed out after 60000 ms") == true, "\(error?.message ?? "")")
        }
    }

    @Test func aResponseOverTheLimitFails() async throws {
        try await HTTPTestServer.run { server in
            let error = await Self.failure(["url": .string(server.base + "/big"), "max_response_bytes": 1000])
            #expect(error?.type == "HTTPResponseTooLargeError")
            let fits = try await Self.call(["url": .string(server.base + "/big"), "max_response_bytes": 4096])
            #expect(fits["body"]?.stringValue?.count == 4096)
        }
    }

    @Test func aRefusedConnectionIsARequestError() async {
        // The client retries refused connections until the timeout, then reports the last connection error.
        let error = await Self.failure(["url": "http://127.0.0.1:1/nothing", "timeout_ms": 200])
        #expect(error?.type == "HTTPRequestError", "\(error?.message ?? "")")
        #expect(error?.message.contains("GET http://127.0.0.1:1/nothing failed") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("refused") == true, "\(error?.message ?? "")")
    }

    static let fetchFlow = """
        flow: Fetch
        inputs:
          - name: url
            type: string
            required: true
        steps:
          - task: HttpRequest
            id: fetch
            inputs:
              url: ${inputs.url}
              query: {name: World}
        outputs:
          - name: status
            value: ${fetch.status}
          - name: query
            value: ${fetch.json.query.name}
        """

    @Test func aFlowUsesTheResponse() async throws {
        try await HTTPTestServer.run { server in
            let flow = try FlowLoader().load(yaml: Self.fetchFlow)
            let result = try await FlowExecutor(registry: Self.registry).execute(
                flow,
                inputs: ["url": .string(server.base + "/echo")]
            )
            #expect(result.status == .completed)
            #expect(result.outputs["status"] == 200)
            #expect(result.outputs["query"] == "World")
        }
    }

    @Test func cancellingTheExecutionCancelsTheRequest() async throws {
        try await HTTPTestServer.run { server in
            let flow = try FlowLoader().load(yaml: Self.fetchFlow)
            let signal = CancellationSignal()
            async let result = FlowExecutor(registry: Self.registry).execute(
                flow,
                inputs: ["url": .string(server.base + "/slow")],
                options: ExecutionOptions(cancellation: signal)
            )
            for await _ in server.arrivals { break }
            signal.cancel(reason: "stop")
            let finished = try await result
            #expect(finished.status == .cancelled)
            #expect(finished.reason == "stop")
        }
    }
}
