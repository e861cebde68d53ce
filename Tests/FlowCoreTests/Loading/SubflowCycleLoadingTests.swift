import FlowCore
import Foundation
import Testing

/// A flow file whose `subflow:` calls come back to a flow already on the chain (itself, or A → B → A) does not
/// load: the cycle is an error at the calling step, naming the flows, the steps and where each call is.
struct SubflowCycleLoadingTests {
    /// A fresh directory holding `files` (relative path → YAML), removed when `body` returns.
    static func withFlowFiles<T>(_ files: [String: String], _ body: (String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cycles-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (path, text) in files {
            let full = directory + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return try body(directory)
    }

    /// The errors loading `path` reports; records an issue when it loads.
    static func loadErrors(_ path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Diagnostic] {
        do {
            _ = try FlowLoader().load(contentsOf: path)
            Issue.record("expected \(path) not to load", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.errors
        }
    }

    @Test func flowCallingItselfIsALoadError() throws {
        try Self.withFlowFiles([
            "again/flow.yaml": """
            flow: Again
            steps:
              - task: Ret
                id: first
              - subflow: again
                id: recurse
            """
        ]) { directory in
            let path = directory + "/again/flow.yaml"
            let errors = Self.loadErrors(path)
            #expect(errors.count == 1)
            let error = try #require(errors.first)
            #expect(error.location == SourceLocation(file: path, line: 5, column: 5))
            #expect(error.message.hasPrefix("circular subflow dependency: Again -> 'again' (\(path))"))
            #expect(error.message.contains("Again calls 'again' in step 'recurse' at \(path):5:5"))
            #expect(error.message.contains("A flow may not call itself, directly or through other subflows"))
        }
    }

    @Test func twoFlowsCallingEachOtherAreALoadErrorNamingBothCalls() throws {
        let directory = try FixtureFiles.subflowDirectory()
        let pathA = directory + "/flow_a/flow.yaml"
        let pathB = directory + "/flow_b/flow.yaml"
        let errors = Self.loadErrors(pathA)
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.location.line == 3)
        #expect(error.location.column == 5)
        #expect(error.message.contains("FlowA -> 'flow_b' -> 'flow_a'"))
        #expect(error.message.contains("FlowA calls 'flow_b' in step 'b' at \(pathA):3:5"))
        #expect(error.message.contains("FlowB calls 'flow_a' in step 'a' at \(pathB):3:5"))
        #expect(error.description.hasPrefix("\(pathA):3:5: error: circular subflow dependency"))
    }

    @Test func cycleFurtherDownIsReportedAtTheStepThatLeadsIntoIt() throws {
        try Self.withFlowFiles([
            "main.yaml": """
            flow: Main
            steps:
              - if: true
                then:
                  - subflow: loopa
                    id: enter
            """,
            "loopa/flow.yaml": "flow: LoopA\nsteps:\n  - subflow: loopb\n    id: b\n",
            "loopb/flow.yaml": "flow: LoopB\nsteps:\n  - task: Ret\n    on_error:\n      - subflow: loopa\n",
        ]) { directory in
            let errors = Self.loadErrors(directory + "/main.yaml")
            #expect(errors.count == 1)
            let error = try #require(errors.first)
            #expect(error.location.line == 5)
            #expect(error.location.column == 9)
            #expect(error.message.contains("Main -> 'loopa' -> 'loopb' -> 'loopa'"))
            #expect(error.message.contains("Main calls 'loopa' in step 'enter' at \(directory)/main.yaml:5:9"))
            #expect(error.message.contains("LoopB calls 'loopa' in step 'loopa' at \(directory)/loopb/flow.yaml:5:9"))
        }
    }

    @Test func repeatedOrMissingSubflowsAreNoCycle() throws {
        try Self.withFlowFiles([
            "main.yaml": """
            flow: Main
            steps:
              - subflow: child
                id: first
              - subflow: child
                id: second
              - subflow: nowhere
                id: missing
            """,
            "child/flow.yaml": "flow: Child\nsteps:\n  - subflow: leaf\n    id: leaf\n",
            "leaf.yaml": "flow: Leaf\nsteps: []\n",
        ]) { directory in
            let flow = try FlowLoader().load(contentsOf: directory + "/main.yaml")
            #expect(flow.steps.count == 3)
        }
    }

    @Test func checkCanBeTurnedOffAndFlowsFromTextAreNotChecked() throws {
        let directory = try FixtureFiles.subflowDirectory()
        let unchecked = FlowLoader(checksSubflowCycles: false)
        #expect(throws: Never.self) { try unchecked.load(contentsOf: directory + "/flow_a/flow.yaml") }
        #expect(throws: Never.self) { try FlowLoader().load(yaml: "flow: P\nsteps:\n  - subflow: flow_a\n") }
    }
}
