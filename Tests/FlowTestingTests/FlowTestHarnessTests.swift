import FlowCore
import FlowTesting
import Foundation
import OrderedCollections
import Testing

struct FlowTestHarnessTests {
    static let greeting = """
        flow: Greeting
        inputs:
          - name: user_name
            type: string
            required: true
        steps:
          - task: Greet
            id: greet
            inputs:
              name: ${inputs.user_name}
        outputs:
          - name: message
            value: ${greet.message}
        """

    static func greetRegistry() -> TaskRegistry {
        var registry = TaskRegistry()
        registry.register("Greet") { inputs, _ in
            ["message": .string("Hello, \(inputs["name"]?.stringValue ?? "")!")]
        }
        return registry
    }

    /// A fresh empty directory under the temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("flowtesting-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func runsYAMLWithTheGivenRegistryAndCollectsEvents() async throws {
        let harness = try FlowTestHarness(yaml: Self.greeting, registry: Self.greetRegistry())

        let run = try await harness.run(["user_name": "Alice"])

        #expect(run.status == .completed)
        #expect(run.isSuccess)
        #expect(run.output("message") == "Hello, Alice!")
        #expect(run.outputs == ["message": "Hello, Alice!"])
        #expect(run.eventNames == ["flow_started", "step_started", "step_completed", "flow_completed"])
        #expect(run.events.map(\.name) == run.eventNames)
        #expect(run.events.allSatisfy { $0.executionId == run.result.executionId })
        #expect(harness.flow.name == "Greeting")
    }

    @Test func aPlainRegistryIsWrappedSoCallsAreRecordedAndMockable() async throws {
        let harness = try FlowTestHarness(yaml: Self.greeting, registry: Self.greetRegistry())

        _ = try await harness.run(["user_name": "Alice"])
        harness.mocks.mock("Greet", returning: ["message": "mocked"])
        let mocked = try await harness.run(["user_name": "Bob"])

        #expect(harness.mocks.calls(to: "Greet").map(\.inputs) == [["name": "Alice"], ["name": "Bob"]])
        #expect(mocked.output("message") == "mocked")
    }

    @Test func eachRunHoldsOnlyItsOwnCalls() async throws {
        let harness = try FlowTestHarness(yaml: Self.greeting, registry: Self.greetRegistry())

        let first = try await harness.run(["user_name": "Alice"])
        let second = try await harness.run(["user_name": "Bob"])

        #expect(first.calls.map(\.inputs) == [["name": "Alice"]])
        #expect(second.calls.map(\.inputs) == [["name": "Bob"]])
        #expect(second.calls.allSatisfy { $0.executionId == second.result.executionId })
        #expect(harness.mocks.allCalls.count == 2)
    }

    @Test func mocksGivenToTheHarnessAreUsedEvenWhenSetAfterwards() async throws {
        let mocks = MockTaskRegistry(base: Self.greetRegistry())
        let harness = try FlowTestHarness(yaml: Self.greeting, mocks: mocks)

        mocks.mock("Greet") { inputs, _ in ["message": .string("Hi \(inputs["name"]?.stringValue ?? "")")] }
        let run = try await harness.run(["user_name": "Carol"])

        #expect(harness.mocks === mocks)
        #expect(run.output("message") == "Hi Carol")
        #expect(mocks.callCount(of: "Greet") == 1)
    }

    @Test func aStubMockedAfterBuildingTheHarnessRuns() async throws {
        var base = TaskRegistry()
        base.registerStub("Greet")
        let mocks = MockTaskRegistry(base: base)
        let harness = try FlowTestHarness(yaml: Self.greeting, mocks: mocks)

        mocks.mock("Greet", returning: ["message": "from mock"])

        #expect(try await harness.run(["user_name": "A"]).output("message") == "from mock")
    }

    @Test func invalidYAMLThrowsTheLoadErrorWithAllDiagnostics() throws {
        let yaml = """
            flow: Broken
            steps:
              - tsk: Greet
              - task: Greet
                retry: 3
            """

        let error = try #require(throws: FlowLoadError.self) { try FlowTestHarness(yaml: yaml) }

        #expect(error.errors.count == 2)
        #expect(error.errors.map(\.location.line) == [3, 5])
        #expect(error.description.contains("unknown step kind"))
        #expect(error.description.contains("'retry' must be a mapping"))
    }

    @Test func aMissingFlowFileThrowsTheLoadError() throws {
        let path = "/nonexistent-\(UUID().uuidString)/flow.yaml"

        let error = try #require(throws: FlowLoadError.self) { try FlowTestHarness(path: path) }

        #expect(error.errors.count == 1)
        #expect(error.description.contains("does not exist"))
    }

    @Test func loadsAFlowFileByPath() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/flow.yaml"
        try Self.greeting.write(toFile: path, atomically: true, encoding: .utf8)
        let mocks = MockTaskRegistry()
        mocks.mock("Greet", returning: ["message": "file"])

        let fromMocks = try FlowTestHarness(path: path, mocks: mocks)
        let fromRegistry = try FlowTestHarness(path: path, registry: Self.greetRegistry())

        #expect(fromMocks.flow.sourcePath == path)
        #expect(try await fromMocks.run(["user_name": "A"]).output("message") == "file")
        #expect(try await fromRegistry.run(["user_name": "A"]).output("message") == "Hello, A!")
    }

    @Test func subflowsOfAFlowFileAreFoundNextToIt() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.childFlow.write(toFile: directory + "/child.yaml", atomically: true, encoding: .utf8)
        try Self.parentFlow.write(toFile: directory + "/flow.yaml", atomically: true, encoding: .utf8)

        let run = try await FlowTestHarness(path: directory + "/flow.yaml").run(["x": "ab"])

        expectSuccess(run)
        #expect(run.output("c") == ["doubled": "abab"])
    }

    @Test func subflowDirectoryRootsSubflowLookupForYAMLText() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.childFlow.write(toFile: directory + "/child.yaml", atomically: true, encoding: .utf8)
        let mocks = MockTaskRegistry()

        let run = try await FlowTestHarness(yaml: Self.parentFlow, mocks: mocks, subflowDirectory: directory)
            .run(["x": "ab"])
        let missing = try await FlowTestHarness(yaml: Self.parentFlow, subflowDirectory: directory + "/nowhere")
            .run(["x": "ab"])

        #expect(run.output("c") == ["doubled": "abab"])
        #expect(run.eventNames.contains("subflow_started"))
        #expect(mocks.calls(to: "Echo").map(\.inputs) == [["v": "ab"]])
        #expect(run.calls.map(\.taskName) == ["Echo"])
        #expect(missing.status == .failed)
        #expect(missing.failure?.message.contains("Subflow 'child' not found") == true)
    }

    static let childFlow = """
        flow: Child
        inputs:
          - name: v
            required: true
        steps:
          - task: Echo
            id: e
            inputs: {v: "${inputs.v}"}
        outputs:
          - name: doubled
            value: "${e.v}${e.v}"
        """

    static let parentFlow = """
        flow: Parent
        inputs:
          - name: x
        steps:
          - subflow: child
            id: c
            inputs: {v: "${inputs.x}"}
        outputs:
          - name: c
            value: ${c}
        """

    @Test func aLoadedFlowCanBeGivenDirectly() async throws {
        let flow = try FlowLoader().load(yaml: Self.greeting)
        let mocks = MockTaskRegistry()
        mocks.mock("Greet", returning: ["message": "direct"])

        let withMocks = FlowTestHarness(flow: flow, mocks: mocks)
        let withRegistry = FlowTestHarness(flow: flow, registry: Self.greetRegistry())

        #expect(try await withMocks.run(["user_name": "A"]).output("message") == "direct")
        #expect(try await withRegistry.run(["user_name": "A"]).output("message") == "Hello, A!")
    }

    @Test func inputsThatDoNotFitThrowBeforeAnythingRuns() async throws {
        let harness = try FlowTestHarness(yaml: Self.greeting, registry: Self.greetRegistry())

        let error = try await #require(throws: InputValidationError.self) { try await harness.run() }

        #expect(error.problems.map(\.input) == ["user_name"])
        #expect(error.problems.map(\.kind) == [.missing])
        #expect(harness.mocks.allCalls.isEmpty)
    }

    @Test func retryDelaysRunOnTheGivenManualClock() async throws {
        let clock = ManualClock()
        let mocks = MockTaskRegistry()
        mocks.mock("Flaky", results: [.failure(TaskError("not yet")), .success("ok")])
        let harness = try FlowTestHarness(
            yaml: """
                flow: Waits
                steps:
                  - task: Flaky
                    id: f
                    retry: {max_attempts: 2, delay_seconds: 30}
                outputs:
                  - name: f
                    value: ${f}
                """,
            mocks: mocks,
            clock: clock
        )

        async let pending = harness.run()
        await clock.waitForSleepers(count: 1)
        #expect(mocks.callCount(of: "Flaky") == 1)
        clock.advance(by: .seconds(30))
        let run = try await pending

        #expect(run.output("f") == "ok")
        #expect(clock.requestedSleeps == [.seconds(30)])
        #expect(mocks.calls(to: "Flaky").map(\.attempt) == [1, 2])
    }

    @Test func aCancellationSignalCancelsTheRun() async throws {
        let mocks = MockTaskRegistry()
        let harness = try FlowTestHarness(yaml: Self.greeting, mocks: mocks)
        let signal = CancellationSignal()
        signal.cancel(reason: "stop")

        let run = try await harness.run(["user_name": "A"], cancellation: signal)

        #expect(run.status == .cancelled)
        #expect(run.reason == "stop")
        #expect(mocks.allCalls.isEmpty)
    }

    @Test func runAccessorsExposeTheResultAndFilteredEvents() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("A", returning: 1)
        mocks.mock("B", throwing: TaskError("bad b", type: "BError"))
        let harness = try FlowTestHarness(
            yaml: """
                flow: Two
                steps:
                  - task: A
                    id: a
                  - task: B
                    id: b
                """,
            mocks: mocks
        )

        let run = try await harness.run()

        #expect(run.events(.stepStarted).map(\.stepId) == ["a", "b"])
        #expect(run.events(forStep: "b").map(\.name) == ["step_started", "step_failed"])
        #expect(run.events(.flowFailed).count == 1)
        #expect(!run.isSuccess)
        #expect(run.failure == ExecutionResult.Failure(message: "bad b", type: "BError", failedStep: "b", attempts: 1))
        #expect(run.reason == nil)
        #expect(run.output("anything") == nil)
    }

    @Test func aTestRunCanBeBuiltFromItsParts() {
        let result = ExecutionResult(
            executionId: "e", flowName: "F", status: .terminated, outputs: ["k": 1], reason: "r")

        let run = FlowTestRun(result: result, events: [], calls: [])

        #expect(run.status == .terminated)
        #expect(run.isSuccess)
        #expect(run.reason == "r")
        #expect(run.output("k") == 1)
        #expect(run.eventNames.isEmpty)
        #expect(run.calls.isEmpty)
    }
}
