import FlowCore
import Foundation
import OrderedCollections
import Testing

/// Diagnostics about step ids, duplicate keys, inputs, unreachable steps, and many errors at once.
@Suite("Loader diagnostics: ids, keys, inputs")
struct LoaderStepDiagnosticsTests {
    // MARK: Step ids

    @Test func duplicateIdInOneListNamesTheFirstLocation() {
        let yaml = MarkedYAML(
            """
            flow: Ids
            steps:
              - 1️⃣task: Ret
                id: fetch
              - task: Ret
                id: other
              - 2️⃣task: Ret
                id: fetch
            """
        )
        expectLoadErrors(
            yaml,
            ["2️⃣": "duplicate step id 'fetch' in the same list (first at \(yaml.lineColumn("1️⃣")))"]
        )
    }

    @Test func duplicateIdInsideANestedListIsAnError() {
        let yaml = MarkedYAML(
            """
            flow: Ids
            steps:
              - for_each: [1, 2]
                do:
                  - 1️⃣task: Ret
                    id: each
                  - 2️⃣subflow: child
                    id: each
            """
        )
        expectLoadErrors(yaml, ["2️⃣": "duplicate step id 'each' in the same list (first at \(yaml.lineColumn("1️⃣")))"])
    }

    @Test func sameIdInThenAndElseBranchesLoads() throws {
        let flow = try loadFlow(
            """
            flow: Ids
            inputs: [fast]
            steps:
              - if: ${inputs.fast}
                then:
                  - task: Ret
                    id: pick
                else:
                  - task: Ret
                    id: pick
              - task: Ret
                inputs:
                  value: ${pick}
            """
        )
        let conditional = try #require(flow.steps.first?.asConditional)
        #expect(conditional.thenSteps.first?.id == "pick")
        #expect(conditional.elseSteps.first?.id == "pick")
        #expect(flow.warnings.isEmpty)
    }

    @Test func parallelBranchesWritingTheSameIdAreAnError() {
        let yaml = MarkedYAML(
            """
            flow: Ids
            steps:
              - parallel:
                  - 1️⃣task: Ret
                    id: shared
                  - task: Ret
                    id: fine
                  - 2️⃣task: Ret
                    id: shared
            """
        )
        expectLoadErrors(
            yaml,
            ["2️⃣": "parallel branches both write step id 'shared' (first at \(yaml.lineColumn("1️⃣")))"]
        )
    }

    @Test func parallelBranchesWritingTheSameIdInNestedStepsAreAnError() {
        let yaml = MarkedYAML(
            """
            flow: Ids
            inputs: [x]
            steps:
              - parallel:
                  - for_each: [1]
                    do:
                      - task: Ret
                        id: shared
                  - 1️⃣if: ${inputs.x}
                    then:
                      - task: Ret
                        id: shared
            """
        )
        expectLoadErrors(yaml, ["1️⃣": "parallel branches both write step id 'shared'"])
    }

    @Test(arguments: [
        ("1️⃣\"${inputs.name}\"", "step id '${inputs.name}' contains a reference"),
        ("1️⃣step_${item}", "contains a reference"),
        ("1️⃣inputs", "'inputs' is reserved and cannot be a step id"),
        ("1️⃣[a]", "'id' must be a non-empty string, found a list"),
        ("1️⃣\"\"", "'id' must be a non-empty string"),
    ])
    func invalidStepIdIsAnErrorAtTheId(id: String, message: String) {
        let yaml = MarkedYAML(
            """
            flow: Ids
            inputs: [name]
            steps:
              - task: Ret
                id: \(id)
            """
        )
        expectLoadErrors(yaml, ["1️⃣": message])
    }

    @Test func numericStepIdIsKeptAsItsText() throws {
        let flow = try loadFlow("flow: Ids\nsteps:\n  - task: Ret\n    id: 42\n")
        #expect(flow.steps.first?.id == "42")
    }

    @Test func idOnAStepThatStoresNothingIsAWarning() throws {
        let yaml = MarkedYAML(
            """
            flow: Ids
            steps:
              - if: true
                id: 1️⃣check
                then:
                  - task: Ret
            """
        )
        let flow = expectLoadWarnings(yaml, ["1️⃣": "'id' on a 'if' step stores nothing"])
        #expect(flow?.steps.count == 1)
    }

    // MARK: Duplicate keys

    /// Each document repeats a key; the error belongs at the repeat (1️⃣).
    @Test(arguments: [
        ("flow: K\nsteps:\n  - task: Ret\n    1️⃣task: Other\n", "task"),
        ("flow: K\nsteps: []\n1️⃣flow: L\n", "flow"),
        ("flow: K\nsteps: []\n1️⃣steps:\n  - task: Ret\n", "steps"),
        ("flow: K\nsteps:\n  - task: Ret\n    inputs: {a: 1, 1️⃣a: 2}\n", "a"),
        ("flow: K\ninputs:\n  - name: a\n    1️⃣name: b\nsteps: []\n", "name"),
        ("flow: K\nsteps:\n  - task: Ret\n    retry:\n      max_attempts: 2\n      1️⃣max_attempts: 3\n", "max_attempts"),
    ])
    func duplicateMappingKeyIsAnErrorAtTheRepeatedKey(yaml: String, key: String) {
        let diagnostics = expectLoadErrors(MarkedYAML(yaml), ["1️⃣": "duplicate key '\(key)'"])
        #expect(
            diagnostics.allSatisfy { !$0.message.contains("\n") },
            "a diagnostic is one line, without the document pasted in")
    }

    @Test func duplicateInputNameIsAnError() {
        let yaml = MarkedYAML("flow: K\ninputs:\n  - 1️⃣name: a\n  - 2️⃣name: a\nsteps: []\n")
        expectLoadErrors(yaml, ["2️⃣": "duplicate input 'a' (first declared at \(yaml.lineColumn("1️⃣")))"])
    }

    // MARK: Inputs

    @Test(arguments: [
        ("integer", "1️⃣lots", "the default of input 'n' must be an integer, got"),
        ("integer", "1️⃣2.5", "the default of input 'n' must be an integer"),
        ("boolean", "1️⃣\"maybe\"", "the default of input 'n' must be a boolean"),
        ("string", "1️⃣{a: 1}", "the default of input 'n' must be a string"),
        ("array", "1️⃣x", "the default of input 'n' must be an array"),
        ("object", "1️⃣[1]", "the default of input 'n' must be an object"),
        ("number", "1️⃣ten", "the default of input 'n' must be a number"),
    ])
    func inputDefaultThatDoesNotMatchItsTypeIsAnError(type: String, value: String, message: String) {
        let yaml = MarkedYAML(
            """
            flow: Inputs
            inputs:
              - name: n
                type: \(type)
                default: \(value)
            steps: []
            """
        )
        expectLoadErrors(yaml, ["1️⃣": message])
    }

    static let fittingDefaults: [(String, String, FlowValue)] = [
        ("int", "7", 7),
        ("number", "2.5", 2.5),
        ("boolean", "false", false),
        ("list", "[1, 2]", [1, 2]),
        ("dict", "{a: 1}", ["a": 1]),
        ("text", "hello", "hello"),
        ("any", "~", nil),
    ]

    @Test(arguments: fittingDefaults)
    func inputDefaultThatFitsItsTypeLoads(type: String, value: String, expected: FlowValue) throws {
        let flow = try loadFlow(
            """
            flow: Inputs
            inputs:
              - name: n
                type: \(type)
                default: \(value)
            steps: []
            """
        )
        #expect(flow.inputs.first?.defaultValue == expected)
    }

    @Test(arguments: [
        ("1️⃣strng", "input 'n' has unknown type 'strng'. Did you mean 'string'?"),
        ("1️⃣integr", "Did you mean 'integer'?"),
        ("1️⃣boolen", "Did you mean 'boolean'?"),
        ("1️⃣datetime", "Valid types: string, integer, number, boolean, object, array, any"),
    ])
    func unknownInputTypeSuggestsTheNearestType(type: String, message: String) {
        let yaml = MarkedYAML("flow: Inputs\ninputs:\n  - name: n\n    type: \(type)\nsteps: []\n")
        expectLoadErrors(yaml, ["1️⃣": message])
    }

    @Test func inputsThatAreNotAListIsAnError() {
        expectLoadErrors(
            "flow: Inputs\ninputs: 1️⃣{n: string}\nsteps: []\n",
            ["1️⃣": "'inputs' must be a list of input definitions, found a mapping"]
        )
    }

    // MARK: Unreachable steps

    @Test func stepsAfterExitAreUnreachableWarnings() throws {
        let yaml = MarkedYAML(
            """
            flow: Early
            steps:
              - task: Ret
              - 1️⃣exit
              - 2️⃣task: Ret
              - 3️⃣if: true
                then: []
            """
        )
        let exit = yaml.lineColumn("1️⃣")
        let flow = expectLoadWarnings(
            yaml,
            [
                "2️⃣": "this step is unreachable: it follows the exit at \(exit)",
                "3️⃣": "this step is unreachable: it follows the exit at \(exit)",
            ]
        )
        #expect(flow?.steps.count == 4)
    }

    @Test func stepsAfterExitInANestedListAreUnreachable() {
        let yaml = MarkedYAML(
            """
            flow: Early
            steps:
              - if: true
                then:
                  - exit:
                      reason: done
                  - 1️⃣task: Ret
              - task: Ret
            """
        )
        expectLoadWarnings(yaml, ["1️⃣": "unreachable"])
    }

    // MARK: Every error at once

    static let manyProblems = MarkedYAML(
        """
        flow: Many
        inputs:
          - name: n
            type: 1️⃣integr
        steps:
          - 2️⃣tsk: Ret
          - task: Ret
            retry: 3️⃣3
          - if: ${inputs.n} == 4️⃣= 1
            then: []
          - switch: ${inputs.n}
            cases:
              - 5️⃣do: []
          - for_each: 6️⃣${nope}
            do: []
          - task: Ret
            7️⃣inptus: {}
        """
    )

    @Test func everyErrorIsReportedInOneLoad() {
        let diagnostics = expectLoadErrors(
            Self.manyProblems,
            [
                "1️⃣": "unknown type 'integr'",
                "2️⃣": "unknown step kind",
                "3️⃣": "'retry' must be a mapping",
                "4️⃣": "single '='",
                "5️⃣": "a switch case needs 'when'",
                "6️⃣": "unknown reference ${nope}",
                "7️⃣": "unknown key 'inptus'",
            ]
        )
        #expect(diagnostics.filter { $0.severity == .error }.count >= 5)
    }

    @Test func errorsAreSortedByPosition() throws {
        let diagnostics = expectLoadErrors(Self.manyProblems, [:], exhaustive: false)
        let errors = diagnostics.filter { $0.severity == .error }
        try #require(errors.count >= 5)
        let positions = errors.map { [$0.location.line, $0.location.column] }
        #expect(positions == positions.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(errors.allSatisfy { $0.location.file == markedYAMLFile })
    }

    @Test func errorsComeBeforeWarningsInTheLoadError() throws {
        let yaml = MarkedYAML(
            """
            flow: Mixed
            inputs: [n]
            steps:
              - exit
              - 1️⃣task: Ret
                if: ${inputs.m} > 1
              - 2️⃣tsk: Ret
            """
        )
        let diagnostics = expectLoadErrors(yaml, ["2️⃣": "unknown step kind"])
        let severities = diagnostics.map(\.severity)
        #expect(severities.first == .error)
        #expect(severities.contains(.warning))
        #expect(severities == severities.sorted { $0 == .error && $1 == .warning })
        #expect(
            diagnostics.contains { $0.severity == .warning && $0.location == yaml.location("1️⃣", file: markedYAMLFile) })
    }

    @Test func diagnosticDescriptionIsFileLineColumnSeverityMessage() throws {
        let diagnostics = expectLoadErrors("flow: K\nsteps:\n  - 1️⃣tsk: Ret\n", ["1️⃣": "unknown step kind"])
        let first = try #require(diagnostics.first)
        #expect(first.description.hasPrefix("flow.yaml:3:5: error: unknown step kind with keys 'tsk'."))
        let noFile = Diagnostic(.warning, "careful", at: FlowCore.SourceLocation(line: 2, column: 7))
        #expect(noFile.description == "2:7: warning: careful")
    }
}
