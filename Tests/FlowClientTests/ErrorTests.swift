import FlowClient
import FlowCore
import FlowTesting
import HTTPTypes
import Hummingbird
import Testing

/// Answers that are not what a call expects: every one a typed error, never a crash or a hang.
@Suite(.timeLimit(.minutes(1)))
struct ErrorTests {
    @Test(arguments: [
        "", "localhost:8000", "ftp://example.com", "http://", "http://exa mple.com", "http://host:99999",
        "http://host?x=1", "http://host/#top", "127.0.0.1:8000",
    ])
    func aMalformedBaseURLIsInvalidBaseURL(_ url: String) {
        #expect(throws: FlowClientError.invalidBaseURL(url)) { try FlowClient(baseURL: url) }
    }

    @Test func aWellFormedBaseURLKeepsItsPathWithoutTheTrailingSlash() async throws {
        let client = try FlowClient(baseURL: "HTTPS://flows.example.com:8443/api/v2/")
        #expect(client.baseURL == "https://flows.example.com:8443/api/v2")
        try await client.shutdown()
        try await client.shutdown() // a second shutdown is harmless
    }

    @Test func aNonJSONErrorBodyIsUnexpectedStatusWithAShortExcerpt() async throws {
        let router = Router()
        let page = "<html><body>" + String(repeating: "Bad gateway. ", count: 50) + "</body></html>"
        router.get("/flows") { _, _ in
            Response(
                status: .badGateway,
                headers: [.contentType: "text/html"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: page))
            )
        }
        try await ScriptedServer.run(router) { port in
            try await withClient(port: port) { client in
                let error = await #expect(throws: FlowClientError.self) { try await client.flows() }
                guard case .unexpectedStatus(let status, let body)? = error else {
                    Issue.record("expected unexpectedStatus, got \(String(describing: error))")
                    return
                }
                #expect(status == 502)
                #expect(body.count <= 200)
                #expect(body.hasPrefix("<html><body>Bad gateway."))
                #expect(body.hasSuffix("…"))
            }
        }
    }

    @Test func aSuccessfulAnswerThatIsNotJSONIsAnInvalidResponse() async throws {
        let router = Router()
        router.get("/health") { _, _ in "OK" }
        try await ScriptedServer.run(router) { port in
            try await withClient(port: port) { client in
                let error = await #expect(throws: FlowClientError.self) { try await client.health() }
                guard case .invalidResponse(let message)? = error else {
                    Issue.record("expected invalidResponse, got \(String(describing: error))")
                    return
                }
                #expect(message.hasSuffix(": OK"))
            }
        }
    }

    @Test func aStreamThatBreaksOffMidwayIsAnIncompleteStream() async throws {
        struct Broken: Error {}
        let router = Router()
        router.post("/flows/Greet/execute/stream") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "event: flow_started\ndata: {\"flow\":\"Greet\"}\n\n"))
                    try await writer.write(ByteBuffer(string: ": ping\n\nevent: step_started\ndata: {\"step_id\":"))
                    throw Broken() // the server closes the connection in the middle of a chunked body
                }
            )
        }
        try await ScriptedServer.run(router) { port in
            try await withClient(port: port) { client in
                var received: [String] = []
                let error = await #expect(throws: FlowClientError.self) {
                    for try await event in client.stream(flow: "Greet", inputs: ["user_name": "Ada"]) {
                        received.append(event.type)
                    }
                }
                guard case .incompleteStream? = error else {
                    Issue.record("expected incompleteStream, got \(String(describing: error))")
                    return
                }
                #expect(received == ["flow_started"])
            }
        }
    }

    @Test func aStreamThatEndsBeforeItsFinalEventIsAnIncompleteStream() async throws {
        let router = Router()
        router.post("/flows/Greet/execute/stream") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/event-stream"],
                body: ResponseBody(
                    byteBuffer: ByteBuffer(string: "event: flow_started\r\ndata: {\"flow\":\"Greet\"}\r\n\r\n")
                )
            )
        }
        try await ScriptedServer.run(router) { port in
            try await withClient(port: port) { client in
                var received: [FlowEvent] = []
                await #expect(
                    throws: FlowClientError.incompleteStream("the server ended the stream before the final event")
                ) {
                    for try await event in client.stream(flow: "Greet") { received.append(event) }
                }
                #expect(received == [FlowEvent(type: "flow_started", data: ["flow": "Greet"])])
            }
        }
    }

    @Test func aServerThatDoesNotAnswerInTimeIsATimeoutOnTheClientsClock() async throws {
        let gate = TaskGate()
        let clock = ManualClock()
        try await LiveFlowServer.run(gate: gate) { port in
            try await withClient(port: port, configuration: .init(timeout: .seconds(5)), clock: clock) { client in
                async let run = client.execute(flow: "Block")
                _ = try await gate.nextArrival()
                await clock.waitForSleepers(count: 1)
                clock.advance(by: .seconds(5))
                do {
                    _ = try await run
                    Issue.record("expected a timeout")
                } catch {
                    #expect(error as? FlowClientError == .timeout)
                }
                gate.openForAll()
            }
        }
        #expect(clock.requestedSleeps == [.seconds(5)])
    }

    @Test func headersIncludingTheIdempotencyKeyAndAPIKeyAreSent() async throws {
        let log = RequestLog()
        let router = Router()
        router.post("/flows/Greet/execute") { request, _ -> Response in
            log.record(request)
            return ScriptedServer.executed(["message": "Hello!"])
        }
        try await ScriptedServer.run(router) { port in
            let configuration = FlowClient.Configuration(timeout: nil, headers: ["X-Tenant": "acme"])
            try await withClient(port: port, apiKey: "key-1", configuration: configuration) { client in
                _ = try await client.execute(flow: "Greet", inputs: ["user_name": "Ada"], idempotencyKey: "order-42")
            }
        }
        let headers = try #require(log.headers.first)
        #expect(headers[HTTPField.Name("Idempotency-Key")!] == "order-42")
        #expect(headers[HTTPField.Name("X-API-Key")!] == "key-1")
        #expect(headers[HTTPField.Name("X-Tenant")!] == "acme")
        #expect(headers[.contentType] == "application/json")
    }

    @Test func errorDescriptionsNameWhatWentWrong() {
        #expect("\(FlowClientError.flowNotFound(flow: "Nope"))" == "flow not found: Nope")
        #expect(
            "\(FlowClientError.notReady(pendingTasks: ["A", "B"]))" == "flow not ready: tasks not implemented: A, B"
        )
        #expect("\(FlowClientError.unexpectedStatus(status: 502, body: "bad"))" == "unexpected status 502: bad")
        #expect("\(FlowClientError.timeout)" == "the request timed out")
    }
}
