import AsyncHTTPClient
import FlowCore
import FlowServer
import FlowTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

/// `/ready`, the readiness probe: flows loaded, store reachable, not shutting down.
@Suite(.timeLimit(.minutes(1)))
struct ReadinessTests {
    @Test func readyWhenFlowsAreLoadedTheStoreAnswersAndNoShutdownHasBegun() async throws {
        try await TestFlowServer.single(ServerFlows.greeting).test(.router) { client async throws in
            let response = try await client.get("/ready")
            #expect(response.status == .ok)
            #expect(
                response.text
                    == #"{"status":"ready","checks":{"flows_loaded":{"ok":true,"detail":"1 flow loaded"},"#
                    + #""store_reachable":{"ok":true,"detail":"execution store answers"},"#
                    + #""not_shutting_down":{"ok":true,"detail":"accepting work"}}}"#
            )
        }
    }

    @Test func anUnreachableStoreIs503AndItsErrorStaysInTheLog() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting, store: UnreachableStore())
        try await app.test(.router) { client async throws in
            let response = try await client.get("/ready")
            #expect(response.status == .serviceUnavailable)
            let body = try response.json()
            #expect(body["status"] == "not_ready")
            #expect(body[path: "checks.store_reachable"] == ["ok": false, "detail": "execution store does not answer"])
            #expect(body[path: "checks.flows_loaded.ok"] == true)
            #expect(!response.text.contains("hunter2") && !response.text.contains("db.internal"))
            // Liveness is a different question: the process is alive.
            #expect(try await client.get("/health").status == .ok)
        }
    }

    @Test func anAsynchronousExecuteTheStoreCannotRecordIs503WithRetryAfterAndNotStarted() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting, store: UnreachableStore())
        try await app.test(.router) { client async throws in
            for headers: HTTPFields in [[:], [HTTPField.Name("Idempotency-Key")!: "order-7"]] {
                let response = try await client.executeFlow(
                    "Greeting", inputs: ["user_name": "Ada"], query: "?wait=false", headers: headers)
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
                let error = try response.json()["error"]?.stringValue ?? ""
                #expect(error.contains("could not record the new execution, so it was not started"))
                #expect(!response.text.contains("hunter2") && !response.text.contains("db.internal"))
            }
        }
    }

    @Test func aSynchronousExecuteStillAnswersItsResultWhileTheStoreIsDown() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting, store: UnreachableStore())
        try await app.test(.router) { client async throws in
            let response = try await client.executeFlow("Greeting", inputs: ["user_name": "Ada"])
            #expect(response.status == .ok)
            #expect(try response.json()["success"] == true)
        }
    }

    @Test func withoutADrainTheServerStopsAsSoonAsShutdownBegins() async throws {
        let server = try ListeningServer(configuration: TestFlowServer.configuration())
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                let port = try await server.port()
                #expect(try await Self.request(port, "/ready").status == .ok)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
                // After the drain (none here) the server has stopped: nothing answers on its port.
                await #expect(throws: (any Error).self) {
                    try await Self.request(port, "/ready", timeout: .milliseconds(200))
                }
            }
        }
    }

    @Test func duringTheDrainReadyIs503WhileRequestsAreStillServed() async throws {
        var configuration = TestFlowServer.configuration()
        configuration.shutdownDrainPeriod = .seconds(15)
        let clock = ManualClock()
        let server = try ListeningServer(configuration: configuration, clock: clock)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                let port = try await server.port()
                #expect(try await Self.request(port, "/ready").status == .ok)
                trigger.triggerGracefulShutdown()
                let draining = try await Self.waitForAnswer(port, "/ready") { $0.status == .serviceUnavailable }
                #expect(
                    draining.body[path: "checks.not_shutting_down"] == [
                        "ok": false, "detail": "graceful shutdown in progress",
                    ])
                #expect(draining.body[path: "checks.flows_loaded.ok"] == true)
                // Load balancers take the instance out of rotation; requests that still arrive are served.
                #expect(try await Self.request(port, "/health").status == .ok)
                let executed = try await Self.request(
                    port,
                    "/flows/Greeting/execute",
                    method: .POST,
                    body: #"{"inputs":{"user_name":"Ann"}}"#
                )
                #expect(executed.status == .ok)
                #expect(executed.body["success"] == true)
                // The drain is a sleep on the server's clock; once it has passed, the server stops.
                await clock.waitForSleepers(count: 1)
                #expect(clock.requestedSleeps.contains(.seconds(15)))
                clock.advance(by: .seconds(15))
                try await group.waitForAll()
                await #expect(throws: (any Error).self) {
                    try await Self.request(port, "/ready", timeout: .milliseconds(200))
                }
            }
        }
    }

    // MARK: Support

    struct Answer {
        var status: HTTPResponseStatus
        var body: FlowValue
    }

    /// The greeting flow's application on a port the kernel picks, which it reports once it listens.
    ///
    /// Tests never poll a port before its server listens: a client connecting in a loop to a free port in the
    /// ephemeral range can be handed that same port as its own local end and connect to itself (TCP
    /// simultaneous open), after which the server cannot bind it.
    struct ListeningServer: Sendable {
        let app: any Service
        private let ports: AsyncStream<Int>

        init(configuration: ServerConfiguration, clock: any Clock<Duration> = ContinuousClock()) throws {
            let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
            self.ports = ports
            app = buildApplication(
                catalog: FlowCatalog(flow: try TestFlowServer.served(ServerFlows.greeting)),
                configuration: configuration,
                clock: clock,
                logger: TestFlowServer.logger,
                onServerRunning: { channel in
                    if let port = channel.localAddress?.port { continuation.yield(port) }
                    continuation.finish()
                }
            )
        }

        /// Runs the application the way a service group does. Calling `run()` on an `ApplicationProtocol` value
        /// would pick Hummingbird's extension method and skip the drain that FlowLang's application adds.
        func run() async throws {
            try await app.run()
        }

        /// The port, once the server listens.
        func port() async throws -> Int {
            var iterator = ports.makeAsyncIterator()
            return try #require(await iterator.next(isolation: nil), "the server stopped before it listened")
        }
    }

    /// One request; a refused connection is retried until `timeout`.
    static func request(
        _ port: Int,
        _ path: String,
        method: HTTPMethod = .GET,
        body: String? = nil,
        timeout: TimeAmount = .seconds(10)
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: response.status, body: try FlowValue(json: String(buffer: bytes)))
    }

    /// Asks the listening server until `condition` holds, yielding between attempts.
    static func waitForAnswer(_ port: Int, _ path: String, until condition: (Answer) -> Bool) async throws -> Answer {
        while true {
            let answer = try await request(port, path)
            if condition(answer) { return answer }
            await Task.yield()
        }
    }
}

/// A store whose database cannot be reached; its error names a host and a password.
private struct UnreachableStore: ExecutionStore {
    struct Unreachable: Error, CustomStringConvertible {
        var description: String { "connection to db.internal:5432 as flow:hunter2 refused" }
    }

    func create(_ record: ExecutionRecord) async throws { throw Unreachable() }
    func createOnce(_ record: ExecutionRecord) async throws -> ExecutionRecord { throw Unreachable() }
    func requestCancel(id: ExecutionID, reason: String) async throws -> ExecutionRecord? { throw Unreachable() }
    func finish(id: ExecutionID, result: ExecutionResult, events: [ExecutionEvent], at time: Date) async throws
        -> ExecutionRecord
    {
        throw Unreachable()
    }
    func record(id: ExecutionID) async throws -> ExecutionRecord? { throw Unreachable() }
    func records(flow: String?, limit: Int) async throws -> [ExecutionRecord] { throw Unreachable() }
    func checkReachable() async throws { throw Unreachable() }
}
