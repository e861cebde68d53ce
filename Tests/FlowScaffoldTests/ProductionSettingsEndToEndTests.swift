import Foundation
import Testing

@testable import FlowDevelopment

/// The servers that go to production — a scaffolded package's generated server, the OrderFulfillment example's
/// server, and a package served behind `flowlang serve --multi` — take every setting from the environment,
/// exactly as `flowlang serve` does: API keys, rate limit, body limit, execution limit, CORS and JSON logs.
///
/// Part of ``ScaffoldEndToEndTests`` (FLOWLANG_E2E=1, serialized, sharing its warm scratch folder). The servers
/// serve a flow of built-in tasks (`Sleep`), so executions run without implementing the package's stubs.
extension ScaffoldEndToEndTests {
    static let sleepyFlow = """
        flow: Sleepy
        description: Sleeps for 'ms' milliseconds with the built-in Sleep task.
        inputs:
          - name: ms
            type: number
            default: 0
        steps:
          - task: Sleep
            id: nap
            inputs:
              ms: ${inputs.ms}
        outputs:
          - name: slept
            value: ${inputs.ms}
        """

    /// The settings under test; the rate leaves room for the checks before the loop that empties the bucket.
    static let productionEnvironment = [
        "FLOWLANG_API_KEYS": "secret-key,second-key",
        "RATE_LIMIT": "12/h",
        "MAX_BODY_BYTES": "300",
        "MAX_CONCURRENT_EXECUTIONS": "1",
        "CORS_ALLOWED_ORIGINS": "https://app.example.com",
        "LOG_FORMAT": "json",
        "SHUTDOWN_GRACE_SECONDS": "1",
    ]

    /// The generated server's binary, built in the shared scratch folder from a new scaffold of OrderFulfillment.
    static func generatedServer() async throws -> (directory: String, executable: String) {
        let directory = try scaffold()
        try await build(directory)
        let binPath =
            try await run(["swift", "build", "--show-bin-path", "--package-path", directory, "--scratch-path", scratch])
            .output.split(separator: "\n").last.map(String.init) ?? ""
        return (directory, (binPath as NSString).appendingPathComponent("OrderFulfillmentServer"))
    }

    static func writeSleepyFlow(in directory: String) throws -> String {
        let file = (directory as NSString).appendingPathComponent("sleepy.yaml")
        try sleepyFlow.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func generatedServerEnforcesEveryProductionSettingFromTheEnvironment() async throws {
        let (directory, executable) = try await Self.generatedServer()
        let flow = try Self.writeSleepyFlow(in: directory)
        let server = try await ServerProcess.start(executable, flow: flow, environment: Self.productionEnvironment)
        await Self.expectProductionSettings(at: server.url, flow: "Sleepy")
        await server.stop()
        Self.expectJSONLogs(server.lines)
        #expect(server.lines.contains { $0.contains("API key authentication is on") })
        #expect(
            !server.lines.contains { $0.contains("secret-key") || $0.contains("second-key") }, "keys are never logged")
    }

    @Test func exampleServerEnforcesEveryProductionSettingFromTheEnvironment() async throws {
        let example = Self.checkout.appendingPathComponent("Examples/OrderFulfillment").path
        let build = try await Self.run([
            "swift", "build", "--product", "OrderFulfillmentServer", "--package-path", example, "--scratch-path",
            Self.scratch,
        ])
        try #require(build.status == 0, "swift build failed:\n\(build.output.suffix(4000))")
        let binPath =
            try await Self.run([
                "swift", "build", "--show-bin-path", "--package-path", example, "--scratch-path", Self.scratch,
            ])
            .output.split(separator: "\n").last.map(String.init) ?? ""
        let flow = try Self.writeSleepyFlow(in: try ScaffoldFixtures.temporaryDirectory())
        let executable = (binPath as NSString).appendingPathComponent("OrderFulfillmentServer")
        let server = try await ServerProcess.start(executable, flow: flow, environment: Self.productionEnvironment)
        await Self.expectProductionSettings(at: server.url, flow: "Sleepy")
        await server.stop()
        Self.expectJSONLogs(server.lines)
    }

    @Test func generatedServerPrintsEverySettingWithItsSourceAndRefusesABadValue() async throws {
        let (directory, executable) = try await Self.generatedServer()
        try "MAX_BODY_BYTES=4096\n".write(toFile: directory + "/.env", atomically: true, encoding: .utf8)
        let printed = try await ChildProcess.run(
            ProcessCommand(
                executable: executable,
                arguments: ["--print-config", "--port", "9100"],
                workingDirectory: directory,
                environment: ["FLOWLANG_API_KEYS": "secret-key", "RATE_LIMIT": "5/s", "PATH": "/usr/bin:/bin"]
            )
        )
        #expect(printed.status == 0)
        let lines = printed.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 17, "one line per setting:\n\(printed.standardOutput)")
        #expect(lines.contains { $0.hasPrefix("FLOWLANG_CONSOLE=") }, "the web console's setting")
        #expect(lines.contains { $0.hasPrefix("PORT=9100 ") && $0.hasSuffix("(flag)") })
        #expect(lines.contains { $0.hasPrefix("RATE_LIMIT=5/s ") && $0.hasSuffix("(env)") })
        #expect(lines.contains { $0.hasPrefix("MAX_BODY_BYTES=4096 ") && $0.contains("(.env ") })
        #expect(lines.contains { $0.hasPrefix("FLOWLANG_API_KEYS=****** (1 key) ") })
        #expect(lines.contains { $0.hasPrefix("LOG_FORMAT=text ") && $0.hasSuffix("(default)") })
        #expect(!printed.standardOutput.contains("secret-key"))

        let refused = try await ChildProcess.run(
            ProcessCommand(
                executable: executable,
                workingDirectory: directory,
                environment: ["RATE_LIMIT": "fast", "PATH": "/usr/bin:/bin"]
            )
        )
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("error: RATE_LIMIT: 'fast' is not a rate"), "\(refused.standardError)")
    }

    /// `flowlang serve DIR` of a package, and `flowlang serve --multi PARENT` with the package in PARENT.
    @Test(arguments: [false, true])
    func packageServedByFlowlangEnforcesEveryProductionSettingFromTheEnvironment(multi: Bool) async throws {
        let (directory, _) = try await Self.generatedServer()
        // The package serves the Sleepy flow, built in the warm scratch folder.
        try Self.sleepyFlow.write(toFile: directory + "/flow.yaml", atomically: true, encoding: .utf8)
        let parent = (directory as NSString).deletingLastPathComponent
        let flowlang = Self.checkout.appendingPathComponent(".build/debug/flowlang").path
        let served = multi ? ["--multi", parent] : [directory]
        // Ready once the package's server listens, and with --multi the front before it too.
        let server = try await ServerProcess.start(
            flowlang,
            arguments: { port in ["serve"] + served + ["--port", "\(port)", "--scratch-path", Self.scratch] },
            ready: { lines in
                let listening = lines.filter { $0.contains("Server started and listening") }
                return listening.contains { $0.contains(#""label":"OrderFulfillmentServer""#) }
                    && (!multi || listening.contains { $0.contains(#""label":"flowlang""#) })
            },
            environment: Self.productionEnvironment
        )
        await Self.expectProductionSettings(at: server.url, flow: "Sleepy")
        await server.stop()
        let packageLines = server.lines.filter { $0.contains(#""label":"OrderFulfillmentServer""#) }
        #expect(packageLines.contains { $0.contains("API key authentication is on") })
        Self.expectJSONLogs(packageLines)
    }

    /// 401 without a key, 200 with one, 413 over the body limit, 503 past the execution limit, CORS for the
    /// listed origin only, then 429 with Retry-After once the client's bucket is empty.
    static func expectProductionSettings(at url: String, flow: String) async {
        do {
            let key = ["-H", "X-API-Key: secret-key"]
            #expect(try await status(["\(url)/flows"]) == "401")
            #expect(try await status(["-H", "X-API-Key: wrong", "\(url)/flows"]) == "401")
            #expect(try await status(["\(url)/health"]) == "200", "the probes need no key")
            #expect(try await status(key + ["\(url)/flows"]) == "200")
            #expect(try await status(["-H", "Authorization: Bearer second-key", "\(url)/flows/\(flow)"]) == "200")

            let oversized = #"{"inputs": {"ms": 0}, "padding": ""# + String(repeating: "x", count: 400) + #""}"#
            #expect(try await status(key + json(oversized) + ["\(url)/flows/\(flow)/execute"]) == "413")

            let running = try await status(
                key + json(#"{"inputs": {"ms": 60000}}"#) + ["\(url)/flows/\(flow)/execute?wait=false"])
            #expect(running == "202")
            let refused = try await run(
                ["curl", "-s", "-i"] + key + json(#"{"inputs": {"ms": 0}}"#) + ["\(url)/flows/\(flow)/execute"])
            #expect(
                refused.output.hasPrefix("HTTP/1.1 503"),
                "past MAX_CONCURRENT_EXECUTIONS: \(refused.output.prefix(300))")
            #expect(refused.output.lowercased().contains("retry-after:"))

            let allowed = try await run(
                ["curl", "-s", "-i", "-H", "Origin: https://app.example.com"] + key + ["\(url)/flows"])
            #expect(allowed.output.lowercased().contains("access-control-allow-origin: https://app.example.com"))
            let other = try await run(
                ["curl", "-s", "-i", "-H", "Origin: https://evil.example.com"] + key + ["\(url)/flows"])
            #expect(other.output.hasPrefix("HTTP/1.1 200"))
            #expect(!other.output.lowercased().contains("access-control-allow-origin"))

            var limited: Invocation?
            for _ in 1...20 {
                let response = try await run(["curl", "-s", "-i"] + key + ["\(url)/flows"])
                if response.output.hasPrefix("HTTP/1.1 429") {
                    limited = response
                    break
                }
            }
            #expect(
                limited?.output.lowercased().contains("retry-after:") == true,
                "RATE_LIMIT=12/h answers 429 within 20 requests")
        } catch {
            Issue.record(error)
        }
    }

    static func status(_ arguments: [String]) async throws -> String {
        try await run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}"] + arguments).output
    }

    static func json(_ body: String) -> [String] {
        ["-X", "POST", "-H", "Content-Type: application/json", "-d", body]
    }

    /// Every line the server wrote is one JSON object with a level and a message.
    static func expectJSONLogs(_ lines: [String]) {
        let logged = lines.filter { !$0.isEmpty }
        #expect(!logged.isEmpty)
        for line in logged {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["message"] != nil && object?["level"] != nil, "not a JSON log line: \(line)")
        }
    }
}
