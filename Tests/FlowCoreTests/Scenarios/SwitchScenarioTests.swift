import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// Spec §12.4, scenarios S11–S14: matching rules, `default` placement and resolved switch/when values.
@Suite("Scenarios S11–S14: switch")
struct SwitchScenarioTests {
    func chosen(_ yaml: String, inputs: OrderedDictionary<String, FlowValue>) async throws -> FlowValue? {
        let result = try await ScenarioHarness().run(yaml, inputs: inputs)
        #expect(result.status == .completed, "\(String(describing: result.failure))")
        return result.outputs["c"]
    }

    // MARK: S11 matching

    static let s11 = """
        flow: SW
        steps:
          - switch: ${inputs.v}
            cases:
              - when: "a"
                do: [{task: Ret, id: r, inputs: {value: A}}]
              - when: [b, c]
                do: [{task: Ret, id: r, inputs: {value: BC}}]
              - when: 1
                do: [{task: Ret, id: r, inputs: {value: ONE}}]
              - default:
                  - task: Ret
                    id: r
                    inputs: {value: DEF}
        outputs:
          - name: c
            value: ${r}
        """

    static let s11Table: [(v: FlowValue, expected: FlowValue)] = [
        ("a", "A"),
        ("b", "BC"),
        ("c", "BC"),
        (1, "ONE"),
        ("1", "DEF"), // no string/number coercion in switch
        (1.0, "ONE"),
        (true, "ONE"), // booleans equal 1 and 0, as in the reference
        (false, "DEF"),
        ("zzz", "DEF"),
        (nil, "DEF"),
        (["b", "c"], "DEF"), // a list value is not a member of the list [b, c]
    ]

    @Test(arguments: s11Table)
    func s11CasesMatchByStrictEquality(v: FlowValue, expected: FlowValue) async throws {
        #expect(try await chosen(Self.s11, inputs: ["v": v]) == expected, "v=\(v)")
    }

    @Test func s11OnlyTheMatchingCaseRuns() async throws {
        let harness = ScenarioHarness()
        let result = try await harness.run(Self.s11, inputs: ["v": "c"])
        #expect(result.outputs["c"] == "BC")
        #expect(harness.fixtures.callOrder == ["Ret"])
        #expect(
            harness.log.eventNamesWithSteps == [
                "flow_started", "step_started(r)", "step_completed(r)", "flow_completed",
            ])
    }

    // MARK: S12 default entry placed first (REC: only when nothing matches)

    static let s12 = """
        flow: SW
        steps:
          - switch: ${inputs.v}
            cases:
              - default:
                  - task: Ret
                    id: r
                    inputs: {value: DEF}
              - when: a
                do: [{task: Ret, id: r, inputs: {value: A}}]
              - when: [b, c]
                do: [{task: Ret, id: r, inputs: {value: BC}}]
        outputs:
          - name: c
            value: ${r}
        """

    static let s12Table: [(v: FlowValue, expected: FlowValue)] = [
        ("a", "A"),
        ("b", "BC"),
        ("zzz", "DEF"),
    ]

    @Test(arguments: s12Table)
    func s12DefaultListedFirstRunsOnlyWhenNothingMatches(v: FlowValue, expected: FlowValue) async throws {
        #expect(try await chosen(Self.s12, inputs: ["v": v]) == expected, "v=\(v)")
    }

    // MARK: S13 switch-level default (REC: runs)

    static let s13 = """
        flow: SW
        steps:
          - switch: ${inputs.v}
            cases:
              - when: a
                do: [{task: Ret, id: r, inputs: {value: A}}]
            default:
              - task: Ret
                id: r
                inputs: {value: DEF}
          - task: Ret
            id: after
            inputs: {value: continued}
        outputs:
          - name: c
            value: ${r}
          - name: after
            value: ${after}
        """

    static let s13Table: [(v: FlowValue, expected: FlowValue)] = [
        ("zz", "DEF"),
        ("a", "A"),
    ]

    @Test(arguments: s13Table)
    func s13SwitchLevelDefaultRunsWhenNothingMatches(v: FlowValue, expected: FlowValue) async throws {
        let harness = ScenarioHarness()
        let result = try await harness.run(Self.s13, inputs: ["v": v])
        #expect(result.status == .completed)
        #expect(result.outputs == ["c": expected, "after": "continued"])
        #expect(harness.fixtures.callOrder == ["Ret", "Ret"])
    }

    @Test func noMatchAndNoDefaultRunsNothingAndTheFlowContinues() async throws {
        let yaml = """
            flow: SW
            steps:
              - switch: ${inputs.v}
                cases:
                  - when: a
                    do: [{task: Ret, id: r, inputs: {value: A}}]
              - task: Ret
                id: after
                inputs: {value: continued}
            outputs:
              - name: c
                value: ${r}
              - name: after
                value: ${after}
            """
        let harness = ScenarioHarness()
        let result = try await harness.run(yaml, inputs: ["v": "zz"])
        #expect(result.status == .completed)
        #expect(result.outputs == ["c": nil, "after": "continued"])
        #expect(harness.fixtures.callOrder == ["Ret"])
    }

    // MARK: S14 resolved switch and when values

    static let s14When = """
        flow: SW
        steps:
          - switch: ${inputs.v}
            cases:
              - when: ${inputs.w}
                do: [{task: Ret, id: r, inputs: {value: MATCH}}]
              - default:
                  - task: Ret
                    id: r
                    inputs: {value: DEF}
        outputs:
          - name: c
            value: ${r}
        """

    static let s14WhenTable: [(v: FlowValue, w: FlowValue, expected: FlowValue)] = [
        ("q", "q", "MATCH"),
        ("q", "r", "DEF"),
        ("q", ["p", "q"], "MATCH"), // a when that resolves to a list is a membership test
        (2, 2.0, "MATCH"),
    ]

    @Test(arguments: s14WhenTable)
    func s14WhenValuesAreResolved(v: FlowValue, w: FlowValue, expected: FlowValue) async throws {
        #expect(try await chosen(Self.s14When, inputs: ["v": v, "w": w]) == expected, "v=\(v) w=\(w)")
    }

    static let s14Switch = """
        flow: SW
        steps:
          - switch: "type-${inputs.v}"
            cases:
              - when: type-x
                do: [{task: Ret, id: r, inputs: {value: X}}]
              - when: type-y
                do: [{task: Ret, id: r, inputs: {value: Y}}]
              - default:
                  - task: Ret
                    id: r
                    inputs: {value: DEF}
        outputs:
          - name: c
            value: ${r}
        """

    static let s14SwitchTable: [(v: FlowValue, expected: FlowValue)] = [
        ("x", "X"),
        ("y", "Y"),
        ("z", "DEF"),
    ]

    @Test(arguments: s14SwitchTable)
    func s14InterpolatedSwitchValueMatchesPlainWhen(v: FlowValue, expected: FlowValue) async throws {
        #expect(try await chosen(Self.s14Switch, inputs: ["v": v]) == expected, "v=\(v)")
    }
}
