import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// Spec §12.3, scenarios S7–S10: comparisons, the §1.11 truth table, quantifiers and truthiness.
@Suite("Scenarios S7–S10: conditions")
struct ConditionScenarioTests {
    /// A flow whose `then` branch sets `branch` to "then" and whose `else` branch sets it to "else".
    ///
    /// `condition` is inserted verbatim after `if: `, so a test chooses its YAML spelling (quoted or not).
    static func branchFlow(_ condition: String) -> String {
        """
        flow: Branch
        steps:
          - task: Ret
            id: u
            inputs: {value: {status: active, ok: true, age: 20}}
          - if: \(condition)
            then:
              - task: Ret
                id: r
                inputs: {value: then}
            else:
              - task: Ret
                id: r
                inputs: {value: else}
        outputs:
          - name: branch
            value: ${r}
        """
    }

    /// `text` as a single-quoted YAML scalar, so the loader hands it to the condition grammar as a string.
    static func quoted(_ text: String) -> String {
        "'" + String(text.flatMap { $0 == "'" ? ["'", "'"] : [$0] }) + "'"
    }

    func branch(
        _ condition: String,
        inputs: OrderedDictionary<String, FlowValue> = [:]
    ) async throws -> ExecutionResult {
        try await ScenarioHarness().run(Self.branchFlow(condition), inputs: inputs)
    }

    // MARK: S7 boolean and quoted comparisons (REC: quotes stripped)

    @Test func s7QuotedLiteralComparesWithoutItsQuotes() async throws {
        let yaml = """
            flow: S7
            steps:
              - task: Ret
                id: u
                inputs: {value: {status: active, ok: true, age: 20}}
              - if: ${u.status} == "active"
                then:
                  - exit: {reason: quoted}
              - if: ${u.status} == active
                then:
                  - exit: {reason: unquoted}
            """
        let result = try await ScenarioHarness().run(yaml)
        #expect(result.status == .terminated)
        #expect(result.reason == "quoted")
        #expect(result.outputs.isEmpty)
        #expect(result.json["success"] == true)
        #expect(result.json["terminated"] == true)
    }

    // MARK: S8 the §1.11 truth table

    static let probeInputs: OrderedDictionary<String, FlowValue> = [
        "t": true, "f": false, "zero": 0, "one": 1, "s": "active", "strtrue": "true", "n": nil, "num": "5", "x": 10,
    ]

    static let truthTable: [(condition: String, expected: Bool)] = [
        ("${inputs.t} == true", true),
        ("${inputs.t} == True", true),
        ("${inputs.f} == false", true),
        ("${inputs.zero} == false", true),
        ("${inputs.one} == true", true),
        ("${inputs.strtrue} == true", false),
        (#"${u.status} == "active""#, true),
        ("${u.status} == 'active'", true),
        ("${u.status} == active", true),
        ("${u.status} != active", false),
        ("${inputs.s} == ${u.status}", true),
        ("${u.age} >= 18", true),
        ("${u.age} > 18.5", true),
        ("${u.age}>5", true),
        ("${inputs.num} == 5", true),
        ("${inputs.num} > 4", true),
        ("${inputs.x} < 10", false),
        ("${inputs.x} <= 10", true),
        ("${inputs.n} == null", true),
        ("${inputs.t}", true),
        ("${inputs.f}", false),
        ("${inputs.zero}", false),
        ("false", false),
        ("true", true),
    ]

    @Test(arguments: truthTable)
    func s8TruthTable(condition: String, expected: Bool) async throws {
        let result = try await branch(Self.quoted(condition), inputs: Self.probeInputs)
        #expect(result.status == .completed, "\(condition): \(String(describing: result.failure))")
        #expect(result.outputs["branch"] == (expected ? "then" : "else"), "\(condition)")
    }

    static let orderings: [(a: FlowValue, b: FlowValue, greater: Bool)] = [
        ("10", "9", true), // numeric strings compare as numbers
        ("b10", "b9", false), // other strings compare lexicographically
        ("b", "a", true),
        (10, "9", true),
        (2.5, 2, true),
    ]

    @Test(arguments: orderings)
    func s8OrderingComparesNumbersNumericallyAndStringsLexicographically(
        a: FlowValue,
        b: FlowValue,
        greater: Bool
    ) async throws {
        let result = try await branch("${inputs.a} > ${inputs.b}", inputs: ["a": a, "b": b])
        #expect(result.status == .completed)
        #expect(result.outputs["branch"] == (greater ? "then" : "else"))
    }

    @Test func s8OrderingANumberAgainstAWordFailsWithAConditionErrorNamingBothSides() async throws {
        let harness = ScenarioHarness()
        let result = try await harness.run(Self.branchFlow("${inputs.n} > abc"), inputs: ["n": 7])
        #expect(result.status == .failed)
        let failure = try #require(result.failure)
        #expect(failure.type == "ConditionError")
        #expect(failure.message.contains("7"))
        #expect(failure.message.contains("abc"))
        #expect(result.json["error_type"] == "ConditionError")
        #expect(harness.log.eventNamesWithSteps.last == "flow_failed")
    }

    @Test func s8OrderingAWordAgainstANumberFailsWithAConditionError() async throws {
        let result = try await branch("${inputs.s} > 5", inputs: ["s": "active"])
        #expect(result.status == .failed)
        #expect(result.failure?.type == "ConditionError")
        #expect(result.failure?.message.contains("active") == true)
        #expect(result.failure?.message.contains("5") == true)
    }

    @Test func s8ReferenceErrorInAConditionFailsTheFlowInsteadOfBeingFalse() async throws {
        let result = try await branch("${u.missing} == 1")
        #expect(result.status == .failed)
        #expect(result.failure?.type == "ReferenceError")
        #expect(result.failure?.message.contains("${u.missing}") == true)
    }

    // MARK: S9 quantifiers

    static let quantifierFlow = """
        flow: Q
        inputs: [{name: a}, {name: b}, {name: c}]
        steps:
          - task: Echo
            id: v
            inputs: {a: "${inputs.a}", b: "${inputs.b}", c: "${inputs.c}"}
          - if:
              all:
                - ${v.a} > 0
                - any:
                    - ${v.b} > 5
                    - ${v.c} > 5
            then:
              - task: Ret
                id: result
                inputs: {value: {result: nested-true}}
        outputs:
          - name: message
            value: ${result.result}
        """

    @Test func s9NestedQuantifiersTakeTheBranch() async throws {
        let result = try await ScenarioHarness().run(Self.quantifierFlow, inputs: ["a": 1, "b": 2, "c": 10])
        #expect(result.status == .completed)
        #expect(result.outputs == ["message": "nested-true"])
    }

    @Test func s9OutputOfAStepThatDidNotRunIsNullAndTheFlowSucceeds() async throws {
        let harness = ScenarioHarness()
        let result = try await harness.run(Self.quantifierFlow, inputs: ["a": -1, "b": 2, "c": 10])
        #expect(result.status == .completed)
        #expect(result.outputs == ["message": nil])
        #expect(result.json["outputs"]?["message"] == .null)
        #expect(harness.fixtures.callOrder.isEmpty)
    }

    static let quantifiers: [(condition: String, inputs: [Int], expected: Bool)] = [
        (#"{all: ["${inputs.a} > 0", "${inputs.b} > 0", "${inputs.c} > 0"]}"#, [1, 2, 3], true),
        (#"{all: ["${inputs.a} > 0", "${inputs.b} > 0", "${inputs.c} > 0"]}"#, [1, -2, 3], false),
        (#"{any: ["${inputs.a} > 10", "${inputs.b} > 10", "${inputs.c} > 10"]}"#, [1, 2, 15], true),
        (#"{any: ["${inputs.a} > 10", "${inputs.b} > 10", "${inputs.c} > 10"]}"#, [1, 2, 3], false),
        (#"{none: ["${inputs.a} < 0", "${inputs.b} < 0", "${inputs.c} < 0"]}"#, [1, 2, 3], true),
        (#"{none: ["${inputs.a} < 0", "${inputs.b} < 0", "${inputs.c} < 0"]}"#, [1, -2, 3], false),
        ("{all: []}", [0, 0, 0], true),
        ("{none: []}", [0, 0, 0], true),
        ("{any: []}", [0, 0, 0], false),
    ]

    @Test(arguments: quantifiers)
    func s9Quantifiers(condition: String, inputs: [Int], expected: Bool) async throws {
        let values: OrderedDictionary<String, FlowValue> = [
            "a": .int(inputs[0]), "b": .int(inputs[1]), "c": .int(inputs[2]),
        ]
        let result = try await branch(condition, inputs: values)
        #expect(result.status == .completed)
        #expect(result.outputs["branch"] == (expected ? "then" : "else"), "\(condition) with \(inputs)")
    }

    @Test func s9QuantifiersShortCircuitPastConditionsThatWouldFail() async throws {
        // `any` stops at the first true condition, so the unresolvable second one is never evaluated.
        let result = try await branch(#"{any: ["${u.age} > 18", "${u.nope} == 1"]}"#)
        #expect(result.status == .completed)
        #expect(result.outputs["branch"] == "then")
    }

    // MARK: S10 truthiness

    static let truthiness: [(condition: String, x: FlowValue, expected: Bool)] = [
        (#""${inputs.x}""#, "false", true), // a non-empty string is truthy, whatever it spells
        (#""${inputs.x}""#, false, false),
        (#""${inputs.x}""#, true, true),
        (#""${inputs.x}""#, 0, false),
        (#""${inputs.x}""#, "", false),
        (#""${inputs.x}""#, nil, false),
        (#""${inputs.x}""#, [], false),
        (#""${inputs.x}""#, [0], true),
        (#""${inputs.x}""#, [:], false),
        (#""false""#, nil, false), // the literal word false is false in our grammar
        (#""true""#, nil, true),
        ("true", nil, true), // YAML booleans are accepted as conditions
        ("false", nil, false),
    ]

    @Test(arguments: truthiness)
    func s10Truthiness(condition: String, x: FlowValue, expected: Bool) async throws {
        let result = try await branch(condition, inputs: ["x": x])
        #expect(result.status == .completed, "if: \(condition): \(String(describing: result.failure))")
        #expect(result.outputs["branch"] == (expected ? "then" : "else"), "if: \(condition) with x=\(x)")
    }

    @Test func s10YAMLBooleanTrueTakesTheThenBranch() async throws {
        let yaml = """
            flow: S10
            steps:
              - if: true
                then:
                  - exit: {reason: then}
                else:
                  - exit: {reason: else}
            """
        let result = try await ScenarioHarness().run(yaml)
        #expect(result.status == .terminated)
        #expect(result.reason == "then")
    }
}
