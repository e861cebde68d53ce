import FlowCore
import Foundation
import Synchronization
import Testing

@testable import FlowDevelopment
@testable import FlowScaffold

/// Scaffolds Examples/OrderFulfillment/flow.yaml, builds the package and runs its tests, then starts its
/// server and checks `/health` and execute before and after implementing a task.
///
/// Slow (a clean build compiles FlowLang and its dependencies), so it runs only with `FLOWLANG_E2E=1`:
///
///     FLOWLANG_E2E=1 swift test --filter ScaffoldEndToEndTests
///
/// Builds share the scratch folder `<FlowLang>/.build-e2e/scratch` (git-ignored), so repeated runs are warm;
/// delete it to measure a clean build. Durations are printed.
@Suite(
    .enabled(
        if: ProcessInfo.processInfo.environment["FLOWLANG_E2E"] == "1",
        "set FLOWLANG_E2E=1 to build a scaffolded package"),
    .serialized,
    .timeLimit(.minutes(40))
)
struct ScaffoldEndToEndTests {
    static let checkout = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scratch = checkout.appendingPathComponent(".build-e2e/scratch").path
    static let flowFile = checkout.appendingPathComponent("Examples/OrderFulfillment/flow.yaml").path

    /// The walkthrough's order, valid for the flow's declared inputs.
    static let orderInputs = #"""
        {"inputs": {"customer_id": "CUST-12345", "items": [{"product_id": "PROD-001", "quantity": 2}],
         "payment_method": "credit_card", "payment_details": {"token": "tok_visa_4242", "idempotency_key": "order-1"},
         "shipping_address": {"street": "123 Main St", "city": "San Francisco", "country": "US"}, "order_type": "standard"}}
        """#

    struct Invocation {
        var status: Int32
        var output: String
        var seconds: Double
    }

    /// Runs `arguments` (the first is looked up on PATH) and awaits its exit without blocking a thread of the
    /// test's pool, which other suites' tests share.
    @discardableResult
    static func run(_ arguments: [String], in directory: String? = nil) async throws -> Invocation {
        let start = ContinuousClock.now
        let finished = try await ChildProcess.run(
            ProcessCommand(
                executable: arguments[0],
                arguments: Array(arguments.dropFirst()),
                workingDirectory: directory ?? FileManager.default.currentDirectoryPath
            )
        )
        let elapsed = ContinuousClock.now - start
        return Invocation(
            status: finished.status, output: finished.standardOutput + finished.standardError, seconds: elapsed.seconds)
    }

    /// Scaffolds the flow into a new temporary directory.
    static func scaffold() throws -> String {
        let directory = try ScaffoldFixtures.temporaryDirectory() + "/OrderFulfillment"
        let outcome = ProjectGenerator.scaffold(
            ProjectGenerator.Request(flowFile: flowFile, outputDirectory: directory, flowLang: .path(checkout.path))
        )
        try #require(outcome.exitCode == 0, "\(outcome.text)")
        return directory
    }

    @discardableResult
    static func build(_ directory: String) async throws -> Invocation {
        let build = try await run([
            "swift", "build", "--build-tests", "--package-path", directory, "--scratch-path", scratch,
        ])
        try #require(build.status == 0, "swift build failed:\n\(build.output.suffix(4000))")
        return build
    }

    @Test func scaffoldedOrderFulfillmentBuildsAndItsMockedFlowTestPasses() async throws {
        var durations: [String] = []
        for round in 1...2 {
            let cacheExisted = FileManager.default.fileExists(atPath: Self.scratch)
            let directory = try Self.scaffold()
            let build = try await Self.build(directory)
            let test = try await Self.run([
                "swift", "test", "--skip-build", "--package-path", directory, "--scratch-path", Self.scratch,
            ])

            #expect(test.status == 0, "swift test failed:\n\(test.output.suffix(4000))")
            #expect(test.output.contains("flowSucceedsWithEveryTaskMocked() passed"))
            #expect(test.output.contains("everyTaskOfTheFlowIsRegistered() passed"))
            #expect(test.output.contains("ChargePayment is a stub"))
            let total = build.seconds + test.seconds
            durations.append(
                String(
                    format: "round %d (%@ cache): build %.1f s + test %.1f s = %.1f s", round,
                    cacheExisted ? "warm" : "clean", build.seconds, test.seconds, total)
            )
        }
        print("e2e scaffold → green swift test: " + durations.joined(separator: "; "))
    }

    @Test func scaffoldedServerReportsProgressAndAnswers503UntilEveryTaskIsImplemented() async throws {
        let directory = try Self.scaffold()
        try await Self.build(directory)
        let binPath =
            try await Self.run([
                "swift", "build", "--show-bin-path", "--package-path", directory, "--scratch-path", Self.scratch,
            ])
            .output.split(separator: "\n").last.map(String.init) ?? ""
        let server = (binPath as NSString).appendingPathComponent("OrderFulfillmentServer")

        let fresh = try await ServerProcess.start(server, flow: directory + "/flow.yaml")
        let health = try await Self.run(["curl", "-s", "\(fresh.url)/health"]).output
        let execute = try await Self.run([
            "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", "content-type: application/json",
            "-d", Self.orderInputs, "\(fresh.url)/flows/OrderFulfillment/execute",
        ]).output
        await fresh.stop()
        #expect(health.contains("0/20"), "health: \(health)")
        #expect(execute == "503")

        let file = directory + "/Sources/OrderFulfillmentTasks/Tasks/ValidateCustomer.swift"
        let stub = try String(contentsOfFile: file, encoding: .utf8)
        let implemented = stub.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("flowlang:stub") }
            .map {
                $0.contains("throw TaskError(") ? "        return Output(isValid: true, reason: \"ok\")" : String($0)
            }
            .joined(separator: "\n")
        try implemented.write(toFile: file, atomically: true, encoding: .utf8)
        let rebuild = try await Self.build(directory)
        let after = try await ServerProcess.start(server, flow: directory + "/flow.yaml")
        let healthAfter = try await Self.run(["curl", "-s", "\(after.url)/health"]).output
        await after.stop()

        #expect(healthAfter.contains("1/20"), "health after implementing ValidateCustomer: \(healthAfter)")
        print(String(format: "e2e one-task change → rebuilt in %.1f s", rebuild.seconds))
    }
}

/// A server program running on a free port, ready once its output says so; it keeps every line it wrote.
struct ServerProcess {
    let process: RunningChild
    let url: String
    private let output: OutputLines

    /// Every line the server wrote so far.
    var lines: [String] { output.lines.withLock { $0 } }

    final class OutputLines: Sendable {
        let lines = Mutex<[String]>([])
    }

    /// Starts a scaffolded server (`serve --port PORT --flow FLOW`) with `environment` added to this process's.
    static func start(_ executable: String, flow: String, environment: [String: String] = [:]) async throws
        -> ServerProcess
    {
        try await start(
            executable,
            arguments: { port in ["serve", "--port", "\(port)", "--flow", flow] },
            ready: { lines in lines.contains { $0.contains("Server started and listening") } },
            environment: environment
        )
    }

    /// Starts `executable` with the arguments for a port FreePort found free. Another process's connection may
    /// take that port as its local end before the server binds it; the server then exits with "Address already
    /// in use" and another port is tried.
    static func start(
        _ executable: String,
        arguments: (Int) -> [String],
        ready: @escaping @Sendable ([String]) -> Bool,
        environment: [String: String] = [:]
    ) async throws -> ServerProcess {
        for _ in 1...5 {
            let port = try await FreePort.find()
            let (events, continuation) = AsyncStream<Void>.makeStream()
            let output = OutputLines()
            let command = ProcessCommand(
                executable: executable,
                arguments: arguments(port),
                environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }
            )
            let process = try await ChildProcess.start(
                command,
                output: .lines { line in
                    output.lines.withLock { $0.append(line) }
                    continuation.yield()
                }
            )
            // Ends the line stream once the server's output ends (it exited), outside the group below, which
            // would otherwise wait for it while the server runs.
            Task {
                _ = await process.waitForExit()
                continuation.finish()
            }
            let server = ServerProcess(process: process, url: "http://127.0.0.1:\(port)", output: output)
            let outcome = try await withThrowingTaskGroup(of: Bool?.self) { group in
                group.addTask {
                    for await _ in events {
                        if ready(server.lines) { return true }
                        if server.lines.contains(where: { $0.contains("Address already in use") }) { return false }
                    }
                    return nil
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(300))
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
            if outcome == true { return server }
            await server.stop()
            guard outcome == false else { throw ServerStartError(lines: server.lines) }
        }
        throw ServerStartError(lines: [])
    }

    func stop() async {
        process.send(SIGTERM)
        _ = await process.waitForExit()
    }

    struct ServerStartError: Error, CustomStringConvertible {
        var lines: [String]
        var description: String {
            "the server did not report it was ready within 300 s, or found 5 free ports taken; its output:\n"
                + lines.suffix(40).joined(separator: "\n")
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
