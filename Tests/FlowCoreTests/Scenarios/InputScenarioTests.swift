import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// Spec §12.2, scenarios S4–S6, plus type coercion, defaults and all-at-once input problems.
@Suite("Scenarios S4–S6: inputs")
struct InputScenarioTests {
    // MARK: S4 required input missing

    static let s4 = """
        flow: S4
        inputs:
          - name: a
            required: true
        steps:
          - task: Ret
            id: r
            inputs: {value: "${inputs.a}"}
        """

    @Test func s4MissingRequiredInputThrowsBeforeAnyEventOrStep() async throws {
        let harness = ScenarioHarness()
        let flow = try loadFlow(Self.s4)
        let error = await #expect(throws: InputValidationError.self) {
            try await harness.execute(flow)
        }
        #expect(
            error?.problems == [.init(input: "a", kind: .missing, message: "Required input 'a' not provided")]
        )
        #expect(harness.log.eventNamesWithSteps.isEmpty)
        #expect(harness.fixtures.callOrder.isEmpty)
    }

    @Test func s4RequiredInputGivenAsNullCountsAsMissing() async throws {
        let harness = ScenarioHarness()
        let flow = try loadFlow(Self.s4)
        let error = await #expect(throws: InputValidationError.self) {
            try await harness.execute(flow, inputs: ["a": nil])
        }
        #expect(error?.problems.map(\.kind) == [.missing])
        #expect(harness.log.eventNamesWithSteps.isEmpty)
    }

    @Test func s4RequiredInputProvidedRunsTheFlow() async throws {
        let harness = ScenarioHarness()
        let result = try await harness.run(Self.s4, inputs: ["a": "here"])
        #expect(result.status == .completed)
        #expect(harness.fixtures.callOrder == ["Ret"])
        #expect(harness.log.eventNamesWithSteps.first == "flow_started")
        #expect(harness.log.eventNamesWithSteps.last == "flow_completed")
    }

    // MARK: S5 defaults (REC: applied)

    static let s5 = """
        flow: S5
        inputs:
          - name: a
            required: false
            default: 5
        steps:
          - task: Echo
            id: e
            inputs: {v: "${inputs.a}"}
        outputs:
          - name: v
            value: ${e.v}
        """

    @Test func s5DefaultIsAppliedWhenTheInputIsLeftOut() async throws {
        let result = try await ScenarioHarness().run(Self.s5)
        #expect(result.status == .completed)
        #expect(result.outputs == ["v": 5])
    }

    @Test func s5ProvidedValueWinsOverTheDefault() async throws {
        let result = try await ScenarioHarness().run(Self.s5, inputs: ["a": 9])
        #expect(result.outputs == ["v": 9])
    }

    @Test func defaultsSatisfyRequiredInputsAndAppearInFlowStarted() async throws {
        let yaml = """
            flow: Defaults
            inputs:
              - name: greeting
                type: string
                required: true
                default: hello
              - name: count
                type: integer
                default: 3
            steps: []
            outputs:
              - name: all
                value: ${inputs}
            """
        let harness = ScenarioHarness()
        let result = try await harness.run(yaml)
        #expect(result.status == .completed)
        #expect(result.outputs["all"] == ["greeting": "hello", "count": 3])
        let started = try #require(harness.log.events.first)
        #expect(started.name == "flow_started")
        #expect(started.data["inputs"] == ["greeting": "hello", "count": 3])
    }

    // MARK: S6 undeclared inputs

    @Test func s6UndeclaredExtraInputsAreAcceptedAndReferencable() async throws {
        let yaml = """
            flow: S6
            inputs:
              - name: a
            steps:
              - task: Echo
                id: e
                inputs: {a: "${inputs.a}", extra: "${inputs.extra}", nested: "${inputs.more.k}"}
            outputs:
              - e
            """
        let result = try await ScenarioHarness().run(yaml, inputs: ["a": 1, "extra": "x", "more": ["k": true]])
        #expect(result.status == .completed)
        #expect(result.outputs["e"] == ["a": 1, "extra": "x", "nested": true])
    }

    // MARK: Type coercion

    static let coercions: [(type: String, given: FlowValue, expected: FlowValue)] = [
        ("integer", "5", 5),
        ("integer", 5.0, 5),
        ("int", " 42 ", 42),
        ("number", "2.5", 2.5),
        ("number", "7", 7),
        ("boolean", "true", true),
        ("boolean", "false", false),
        ("string", "5", "5"),
        ("array", [1, 2], [1, 2]),
        ("object", ["k": "v"], ["k": "v"]),
    ]

    @Test(arguments: coercions)
    func declaredTypesCoerceCompatibleValues(type: String, given: FlowValue, expected: FlowValue) async throws {
        let yaml = """
            flow: Coerce
            inputs:
              - name: x
                type: \(type)
            steps:
              - task: Ret
                id: r
                inputs: {value: "${inputs.x}"}
            outputs:
              - name: seen
                value: ${r}
            """
        let result = try await ScenarioHarness().run(yaml, inputs: ["x": given])
        #expect(result.status == .completed)
        #expect(result.outputs["seen"] == expected)
        // The coerced value keeps its exact kind: "5" for an integer becomes .int(5), not .double or .string.
        #expect(result.outputs["seen"]?.kindName == expected.kindName)
    }

    @Test func everyInputProblemIsReportedAtOnceInDeclarationOrder() async throws {
        let yaml = """
            flow: Typed
            inputs:
              - name: n
                type: integer
              - name: flag
                type: boolean
              - name: ok
                type: string
              - name: must
                required: true
              - name: list
                type: array
            steps:
              - task: Ret
                id: r
                inputs: {value: 1}
            """
        let harness = ScenarioHarness()
        let flow = try loadFlow(yaml)
        let error = await #expect(throws: InputValidationError.self) {
            try await harness.execute(flow, inputs: ["n": "abc", "flag": "maybe", "ok": "fine", "list": "nope"])
        }
        let problems = try #require(error?.problems)
        #expect(problems.map(\.input) == ["n", "flag", "must", "list"])
        #expect(problems.map(\.kind) == [.invalidType, .invalidType, .missing, .invalidType])
        #expect(problems[0].message.contains("'n'"))
        #expect(problems[0].message.contains("integer"))
        #expect(problems[0].message.contains("abc"))
        #expect(problems[1].message.contains("boolean"))
        #expect(problems[3].message.contains("array"))
        #expect(error?.description.contains("Required input 'must' not provided") == true)
        #expect(harness.log.eventNamesWithSteps.isEmpty)
        #expect(harness.fixtures.callOrder.isEmpty)
    }
}
