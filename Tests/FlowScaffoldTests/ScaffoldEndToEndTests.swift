import FlowCore
import Foundation
import Testing

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
    .enabled(if: ProcessInfo.processInfo.environment["FLOWLANG_E2E"] == "1", "set FLOWLANG_E2E=1 to build a scaffolded package"),
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

    /// Runs `arguments` (the first is looked up on PATH) and waits for it.
    @discardableResult
    static func run(_ arguments: [String], in directory: String? = nil) throws -> Invocation {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: output.path])
        }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        let start = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let elapsed = ContinuousClock.now - start
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return Invocation(status: process.terminationStatus, output: text, seconds: elapsed.seconds)
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
    static func build(_ directory: String) throws -> Invocation {
        let build = try run(["swift", "build", "--build-tests", "--package-path", directory, "--scratch-path", scratch])
        try #require(build.status == 0, "swift build failed:\n\(build.output.suffix(4000))")
        return build
    }

    @Test func scaffoldedOrderFulfillmentBuildsAndItsMockedFlowTestPasses() throws {
        var durations: [String] = []
        for round in 1...2 {
            let cacheExisted = FileManager.default.fileExists(atPath: Self.scratch)
            let directory = try Self.scaffold()
            let build = try Self.build(directory)
            let test = try Self.run(["swift", "test", "--skip-build", "--package-path", directory, "--scratch-path", Self.scratch])

            #expect(test.status == 0, "swift test failed:\n\(test.output.suffix(4000))")
            #expect(test.output.contains("flowSucceedsWithEveryTaskMocked() passed"))
            #expect(test.output.contains("everyTaskOfTheFlowIsRegistered() passed"))
            #expect(test.output.contains("ChargePayment is a stub"))
            let total = build.seconds + test.seconds
            durations.append(
                String(format: "round %d (%@ cache): build %.1f s + test %.1f s = %.1f s", round, cacheExisted ? "warm" : "clean", build.seconds, test.seconds, total)
            )
        }
        print("e2e scaffold → green swift test: " + durations.joined(separator: "; "))
    }

    @Test func scaffoldedServerReportsProgressAndAnswers503UntilEveryTaskIsImplemented() async throws {
        let directory = try Self.scaffold()
        try Self.build(directory)
        let binPath = try Self.run(["swift", "build", "--show-bin-path", "--package-path", directory, "--scratch-path", Self.scratch])
            .output.split(separator: "\n").last.map(String.init) ?? ""
        let server = (binPath as NSString).appendingPathComponent("OrderFulfillmentServer")

        let fresh = try await ServerProcess.start(server, flow: directory + "/flow.yaml")
        let health = try Self.run(["curl", "-s", "\(fresh.url)/health"]).output
        let execute = try Self.run([
            "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", "content-type: application/json",
            "-d", Self.orderInputs, "\(fresh.url)/flows/OrderFulfillment/execute",
        ]).output
        fresh.stop()
        #expect(health.contains("0/20"), "health: \(health)")
        #expect(execute == "503")

        let file = directory + "/Sources/OrderFulfillmentTasks/Tasks/ValidateCustomer.swift"
        let stub = try String(contentsOfFile: file, encoding: .utf8)
        let implemented = stub.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("flowlang:stub") }
            .map { $0.contains("throw TaskError(") ? "        return Output(isValid: true, reason: \"ok\")" : String($0) }
            .joined(separator: "\n")
        try implemented.write(toFile: file, atomically: true, encoding: .utf8)
        let rebuild = try Self.build(directory)
        let after = try await ServerProcess.start(server, flow: directory + "/flow.yaml")
        let healthAfter = try Self.run(["curl", "-s", "\(after.url)/health"]).output
        after.stop()

        #expect(healthAfter.contains("1/20"), "health after implementing ValidateCustomer: \(healthAfter)")
        print(String(format: "e2e one-task change → rebuilt in %.1f s", rebuild.seconds))
    }
}

/// A scaffolded server running on a free port, ready once it logs that it listens.
final class ServerProcess {
    let process: Process
    let url: String

    private init(process: Process, url: String) {
        self.process = process
        self.url = url
    }

    static func start(_ executable: String, flow: String) async throws -> ServerProcess {
        let port = Int.random(in: 20_000..<60_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--port", "\(port)", "--flow", flow]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let (lines, continuation) = AsyncStream<String>.makeStream()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                continuation.finish()
                handle.readabilityHandler = nil
            } else {
                continuation.yield(String(decoding: data, as: UTF8.self))
            }
        }
        process.terminationHandler = { _ in continuation.finish() }
        try process.run()
        let ready = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                var seen = ""
                for await chunk in lines {
                    seen += chunk
                    if seen.contains("listening") || seen.contains("Server started") { return true }
                }
                return false
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        let server = ServerProcess(process: process, url: "http://127.0.0.1:\(port)")
        if !ready {
            server.stop()
            throw ServerStartError()
        }
        return server
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    struct ServerStartError: Error, CustomStringConvertible {
        var description: String { "the scaffolded server did not report listening within 60 s" }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
