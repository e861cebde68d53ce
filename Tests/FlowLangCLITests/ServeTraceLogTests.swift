import Foundation
import Testing

@testable import FlowDevelopment

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `flowlang serve` with an OTLP endpoint: JSON log lines written inside a request or a step name its span.
@Suite(.timeLimit(.minutes(2)))
struct ServeTraceLogTests {
    /// The lines a running `flowlang serve` writes, as they arrive; read by one test task.
    final class Server {
        let process: RunningChild
        private var lines: AsyncStream<String>.Iterator

        /// `environment` is added to the test process's own.
        init(_ arguments: [String], environment: [String: String]) async throws {
            let (lines, continuation) = AsyncStream.makeStream(of: String.self)
            self.lines = lines.makeAsyncIterator()
            let command = ProcessCommand(
                executable: try CommandLineTests.executable().path,
                arguments: ["serve"] + arguments,
                workingDirectory: CommandLineTests.packageRoot.path,
                environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }
            )
            process = try await ChildProcess.start(command, output: .lines { continuation.yield($0) })
            Task { [process] in
                _ = await process.waitForExit()
                continuation.finish()
            }
        }

        /// The first line that holds `condition`, or nil if the server's output ends first.
        func line(where condition: (String) -> Bool) async -> String? {
            while let line = await lines.next(isolation: nil) {
                if condition(line) { return line }
            }
            return nil
        }

        /// Kills the server: a graceful stop would wait for the exporter's last flush to the endpoint, which
        /// nothing answers here. The launcher's task collects its exit.
        func stop() {
            process.send(SIGKILL)
        }
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func requestAndTaskLogLinesCarryTheSameTraceIdAndTheirOwnSpanIds() async throws {
        // Nothing listens on port 9: exporting fails quietly in the background, which is not what is tested.
        let (server, port) = try await Self.start([
            "Examples/flows/hello_world", "--log-format", "json", "--otlp-endpoint", "http://127.0.0.1:9",
        ])
        defer { server.stop() }

        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)/flows/HelloWorld/execute")))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"inputs":{"user_name":"Ann"}}"#.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)

        let requestLine = try Self.object(try #require(await server.line { $0.contains("/flows/HelloWorld/execute") }))
        let taskLine = try Self.object(try #require(await server.line { $0.contains("greeted Ann") }))
        let traceId = try #require(requestLine["trace_id"] as? String)
        #expect(traceId.count == 32)
        #expect(taskLine["trace_id"] as? String == traceId)
        #expect((requestLine["span_id"] as? String)?.count == 16)
        #expect(taskLine["span_id"] as? String != requestLine["span_id"] as? String)
        #expect(taskLine["execution_id"] != nil)
    }

    @Test func withoutAnOTLPEndpointRequestLinesHaveNoTraceFields() async throws {
        let (server, port) = try await Self.start(["Examples/flows/hello_world", "--log-format", "json"])
        defer { server.stop() }
        let (_, response) = try await URLSession.shared.data(
            from: try #require(URL(string: "http://127.0.0.1:\(port)/health")))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let requestLine = try Self.object(
            try #require(await server.line { $0.contains(#""hb.request.path":"/health""#) }))
        #expect(requestLine["message"] as? String == "Request")
        #expect(requestLine["trace_id"] == nil)
        #expect(requestLine["span_id"] == nil)
    }

    /// Starts `flowlang serve ARGS --port P` on a free port and waits for its "listening" line.
    ///
    /// The port is free when FreePort finds it, but another process's connection may take it as its local end
    /// before the server binds it; the server then exits with "Address already in use" and another port is tried.
    /// Records are kept in memory unless `environment` or `--database-url` says otherwise: servers of one flow
    /// directory run side by side in these tests, and the default SQLite file beside the flows admits one.
    static func start(_ arguments: [String], environment: [String: String] = ["DATABASE_URL": "memory:"]) async throws
        -> (Server, port: String)
    {
        for _ in 1...5 {
            let port = String(try await FreePort.find())
            let server = try await Server(arguments + ["--port", port], environment: environment)
            let listening = "Server started and listening on 127.0.0.1:\(port)"
            let outcome = await server.line { $0.contains(listening) || $0.contains("Address already in use") }
            if outcome?.contains(listening) == true { return (server, port) }
            server.stop()
            try #require(outcome != nil, "flowlang serve ended before it listened")
        }
        throw ServerStartError()
    }

    struct ServerStartError: Error, CustomStringConvertible {
        var description: String { "flowlang serve found each of 5 free ports taken before it could bind it" }
    }
}
