import AsyncHTTPClient
import FlowCore
import FlowServer
import FlowTesting
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import NIOPosix
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

    @Test func withoutADrainTheServerStopsAsSoonAsShutdownBegins() async throws {
        var configuration = TestFlowServer.configuration()
        configuration.port = try await Self.freePort()
        let app = try TestFlowServer.single(ServerFlows.greeting, configuration: configuration)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.run() }
                #expect(try await Self.waitForAnswer(configuration.port, "/ready").status == .ok)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
                // After the drain (none here) the server has stopped: nothing answers on its port.
                await #expect(throws: (any Error).self) { try await Self.request(configuration.port, "/ready") }
            }
        }
    }

    // MARK: Support

    struct Answer {
        var status: HTTPResponseStatus
        var body: FlowValue
    }

    /// A port nothing listens on right now.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    static func request(_ port: Int, _ path: String, method: HTTPMethod = .GET, body: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: response.status, body: try FlowValue(json: String(buffer: bytes)))
    }

    /// Asks until the server answers (it may still be starting) and `condition` holds; yields between attempts.
    static func waitForAnswer(
        _ port: Int,
        _ path: String,
        until condition: (Answer) -> Bool = { _ in true }
    ) async throws -> Answer {
        var lastError: (any Error)?
        for _ in 0..<100_000 {
            do {
                let answer = try await request(port, path)
                if condition(answer) { return answer }
            } catch {
                lastError = error
            }
            await Task.yield()
        }
        throw lastError ?? CancellationError()
    }
}

/// A store whose database cannot be reached; its error names a host and a password.
private struct UnreachableStore: ExecutionStore {
    struct Unreachable: Error, CustomStringConvertible {
        var description: String { "connection to db.internal:5432 as flow:hunter2 refused" }
    }

    func save(_ record: ExecutionRecord) async throws { throw Unreachable() }
    func record(id: String) async throws -> ExecutionRecord? { throw Unreachable() }
    func records(flow: String?, limit: Int) async throws -> [ExecutionRecord] { throw Unreachable() }
    func checkReachable() async throws { throw Unreachable() }
}
