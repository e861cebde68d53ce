import Foundation
import Testing

/// Runs the built `flowlang` executable as a user would, checking output and exit status.
@Suite struct CommandLineTests {
    struct Invocation {
        var status: Int32
        var output: String
    }

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func executable() throws -> URL {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [directory, directory.deletingLastPathComponent()].map { $0.appendingPathComponent("flowlang") }
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
    }

    static func flowlang(_ arguments: String...) throws -> Invocation {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Invocation(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static func temporaryFile(_ contents: String, name: String = "flow.yaml") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        try contents.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func runPrintsOutputsAndExitsZeroOnSuccess() throws {
        let run = try Self.flowlang("run", "Examples/flows/hello_world/flow.yaml", "--inputs", #"{"user_name": "Alice"}"#)
        #expect(run.status == 0)
        #expect(run.output.contains("completed"))
        #expect(run.output.contains(#"message: "Hello, Alice!""#))
    }

    @Test func runWithJSONPrintsTheWireResult() throws {
        let run = try Self.flowlang(
            "run", "Examples/flows/hello_world/flow.yaml", "--inputs", #"{"user_name": "Bo", "shout": "yes"}"#, "--json"
        )
        #expect(run.status == 0)
        #expect(run.output.contains(#""success": true"#))
        #expect(run.output.contains(#""shouted": "HELLO, Bo!!!""#))
        #expect(run.output.contains(#""execution_id""#))
    }

    @Test func runReadsInputsFromAFile() throws {
        let inputs = try Self.temporaryFile(#"{"items": []}"#, name: "inputs.json")
        let run = try Self.flowlang("run", "Examples/flows/order_triage/flow.yaml", "--inputs", "@\(inputs)")
        #expect(run.status == 0)
        #expect(run.output.contains("ended at an exit step: Order has no items"))
    }

    @Test func runExitsOneWhenTheFlowFails() throws {
        let flow = try Self.temporaryFile(
            """
            flow: Failing
            steps:
              - task: Fail
                id: boom
                inputs: {message: "disk full", type: IOError}
            """
        )
        let run = try Self.flowlang("run", flow)
        #expect(run.status == 1)
        #expect(run.output.contains("failed at step 'boom': disk full (IOError)"))
    }

    @Test func runExitsTwoForMissingInputs() throws {
        let run = try Self.flowlang("run", "Examples/flows/hello_world/flow.yaml")
        #expect(run.status == 2)
        #expect(run.output.contains("Required input 'user_name' not provided"))
    }

    @Test(arguments: [#"{"user_name": "#, "[1, 2]", "@/no/such/file.json"])
    func runExitsTwoForUnusableInputs(inputs: String) throws {
        let run = try Self.flowlang("run", "Examples/flows/hello_world/flow.yaml", "--inputs", inputs)
        #expect(run.status == 2)
        #expect(run.output.contains("--inputs"))
    }

    @Test func runExitsTwoForAnInvalidFlowWithDiagnostics() throws {
        let flow = try Self.temporaryFile("flow: Broken\nsteps:\n  - tsk: Echo\n")
        let run = try Self.flowlang("run", flow)
        #expect(run.status == 2)
        #expect(run.output.contains("\(flow):3:5: error: unknown step kind"))
        #expect(run.output.contains("Did you mean 'task'?"))
    }

    @Test func validateAcceptsAValidFlow() throws {
        let run = try Self.flowlang("validate", "Examples/flows/order_triage/flow.yaml")
        #expect(run.status == 0)
        #expect(run.output.contains("valid"))
    }

    @Test func validateListsEveryProblemWithItsPosition() throws {
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
        let run = try Self.flowlang("validate", flow)
        #expect(run.status == 1)
        #expect(run.output.contains("\(flow):5:5: error: unknown key 'inptus'"))
        #expect(run.output.contains("\(flow):6:19: error: invalid condition"))
        #expect(run.output.contains("\(flow):9:18: error: unknown reference ${nope.v}"))
        #expect(run.output.contains("3 error(s)"))
    }

    @Test func versionPrintsTheVersion() throws {
        let run = try Self.flowlang("version")
        #expect(run.status == 0)
        #expect(run.output.hasPrefix("flowlang "))
    }
}
