import Foundation
import Testing

@testable import FlowDevelopment

/// Runs the built `flowlang` executable as a user would, checking output and exit status.
@Suite struct CommandLineTests {
    struct Invocation {
        var status: Int32
        var output: String
    }

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built executable `name` (`flowlang` unless given), beside the test bundle.
    static func executable(_ name: String = "flowlang") throws -> URL {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [directory, directory.deletingLastPathComponent()].map { $0.appendingPathComponent(name) }
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
    }

    static func flowlang(_ arguments: String...) async throws -> Invocation {
        try await run(arguments)
    }

    /// Runs the executable with `arguments` in the package root, with `environment` as its whole environment
    /// (`nil`: this process's own). Awaits the exit without blocking a thread of the test's pool.
    static func run(_ arguments: [String], environment: [String: String]? = nil) async throws -> Invocation {
        let finished = try await ChildProcess.run(
            ProcessCommand(
                executable: try executable().path,
                arguments: arguments,
                workingDirectory: packageRoot.path,
                environment: environment
            )
        )
        return Invocation(status: finished.status, output: finished.standardOutput + finished.standardError)
    }

    static func temporaryFile(_ contents: String, name: String = "flow.yaml") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        try contents.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func runPrintsOutputsAndExitsZeroOnSuccess() async throws {
        let run = try await Self.flowlang(
            "run", "Examples/flows/hello_world/flow.yaml", "--inputs", #"{"user_name": "Alice"}"#)
        #expect(run.status == 0)
        #expect(run.output.contains("completed"))
        #expect(run.output.contains(#"message: "Hello, Alice!""#))
    }

    @Test func runWithJSONPrintsTheWireResult() async throws {
        let run = try await Self.flowlang(
            "run", "Examples/flows/hello_world/flow.yaml", "--inputs", #"{"user_name": "Bo", "shout": "yes"}"#, "--json"
        )
        #expect(run.status == 0)
        #expect(run.output.contains(#""success": true"#))
        #expect(run.output.contains(#""shouted": "HELLO, Bo!!!""#))
        #expect(run.output.contains(#""execution_id""#))
    }

    @Test func runReadsInputsFromAFile() async throws {
        let inputs = try Self.temporaryFile(#"{"items": []}"#, name: "inputs.json")
        let run = try await Self.flowlang("run", "Examples/flows/order_triage/flow.yaml", "--inputs", "@\(inputs)")
        #expect(run.status == 0)
        #expect(run.output.contains("ended at an exit step: Order has no items"))
    }

    @Test func runExitsOneWhenTheFlowFails() async throws {
        let flow = try Self.temporaryFile(
            """
            flow: Failing
            steps:
              - task: Fail
                id: boom
                inputs: {message: "disk full", type: IOError}
            """
        )
        let run = try await Self.flowlang("run", flow)
        #expect(run.status == 1)
        #expect(run.output.contains("failed at step 'boom': disk full (IOError)"))
    }

    @Test func runExitsTwoForMissingInputs() async throws {
        let run = try await Self.flowlang("run", "Examples/flows/hello_world/flow.yaml")
        #expect(run.status == 2)
        #expect(run.output.contains("Required input 'user_name' not provided"))
    }

    @Test(arguments: [#"{"user_name": "#, "[1, 2]", "@/no/such/file.json"])
    func runExitsTwoForUnusableInputs(inputs: String) async throws {
        let run = try await Self.flowlang("run", "Examples/flows/hello_world/flow.yaml", "--inputs", inputs)
        #expect(run.status == 2)
        #expect(run.output.contains("--inputs"))
    }

    @Test func runExitsTwoForAnInvalidFlowWithDiagnostics() async throws {
        let flow = try Self.temporaryFile("flow: Broken\nsteps:\n  - tsk: Echo\n")
        let run = try await Self.flowlang("run", flow)
        #expect(run.status == 2)
        #expect(run.output.contains("\(flow):3:5: error: unknown step kind"))
        #expect(run.output.contains("Did you mean 'task'?"))
    }

    @Test func validateAcceptsAValidFlow() async throws {
        let run = try await Self.flowlang("validate", "Examples/flows/order_triage/flow.yaml")
        #expect(run.status == 0)
        #expect(run.output.contains("valid"))
    }

    @Test func validateListsEveryProblemWithItsPosition() async throws {
        let flow = try Self.temporaryFile(
            """
            flow: Broken
            steps:
              - task: Echo
                id: a
                inptus: {x: 1}
              - if: ${a.x} == = 2
                then: []
              - task: Echo
                inputs: {v: "${nope.v}"}
            """
        )
        let run = try await Self.flowlang("validate", flow)
        #expect(run.status == 1)
        #expect(run.output.contains("\(flow):5:5: error: unknown key 'inptus'"))
        #expect(run.output.contains("\(flow):6:19: error: invalid condition"))
        #expect(run.output.contains("\(flow):9:18: error: unknown reference ${nope.v}"))
        #expect(run.output.contains("3 error(s)"))
    }

    @Test func versionPrintsTheVersion() async throws {
        let run = try await Self.flowlang("version")
        #expect(run.status == 0)
        #expect(run.output.hasPrefix("flowlang "))
    }
}
