import FlowCore
import Foundation
import OrderedCollections
import Testing

/// Structural diagnostics: each problem reported at its exact line and column, with a hint where one helps.
@Suite("Loader diagnostics")
struct LoaderDiagnosticsTests {
    // MARK: Unknown kinds and keys

    static let unknownKinds: [(String, String)] = [
        ("  - 1️⃣tsk: Ret", "unknown step kind with keys 'tsk'. Did you mean 'task'?"),
        ("  - 1️⃣Task: Ret", "Did you mean 'task'?"),
        ("  - 1️⃣swich: ${inputs.kind}", "Did you mean 'switch'?"),
        ("  - 1️⃣paralel: []", "Did you mean 'parallel'?"),
        ("  - 1️⃣foreach: [1, 2]", "Did you mean 'for_each'?"),
        ("  - 1️⃣sub_flow: child", "Did you mean 'subflow'?"),
        ("  - 1️⃣exti: {}", "Did you mean 'exit'?"),
        ("  - 1️⃣id: fetch\n    tsk: Ret", "Did you mean 'task'?"),
        ("  - 1️⃣description: fetch it\n    taks: Ret", "Did you mean 'task'?"),
        ("  - 1️⃣{tsk: Ret}", "Did you mean 'task'?"),
        ("  - 1️⃣zebra: 1", "A step needs one of: task, parallel, if, switch, for_each, subflow, exit"),
    ]

    @Test(arguments: unknownKinds)
    func unknownStepKindSuggestsTheNearestKind(step: String, message: String) {
        let yaml = MarkedYAML("flow: Kinds\nsteps:\n\(step)\n")
        expectLoadErrors(yaml, ["1️⃣": message])
    }

    @Test func stepWithTwoKindsIsAnError() {
        let yaml = MarkedYAML(
            """
            flow: Kinds
            steps:
              - 1️⃣switch: ${inputs.kind}
                for_each: [1]
                do: []
            """
        )
        expectLoadErrors(yaml, ["1️⃣": "a step can be only one kind, but this one has 'switch' and 'for_each'"])
    }

    static let unknownKeys: [(String, String)] = [
        (
            "flow: K\nsteps:\n  - task: Ret\n    1️⃣inptus: {}",
            "unknown key 'inptus' in a task step. Did you mean 'inputs'?"
        ),
        ("flow: K\nsteps:\n  - task: Ret\n    1️⃣retyr: {}", "unknown key 'retyr' in a task step. Did you mean 'retry'?"),
        ("flow: K\nsteps:\n  - task: Ret\n    1️⃣on_eror: []", "Did you mean 'on_error'?"),
        ("flow: K\nsteps:\n  - if: true\n    1️⃣than: []", "unknown key 'than' in an if step. Did you mean 'then'?"),
        (
            "flow: K\nsteps:\n  - for_each: [1]\n    1️⃣max_concurency: 2\n    do: []",
            "unknown key 'max_concurency' in a for_each step. Did you mean 'max_concurrency'?"
        ),
        ("flow: K\nsteps:\n  - subflow: child\n    1️⃣inpts: {}", "in a subflow step. Did you mean 'inputs'?"),
        ("flow: K\nsteps:\n  - exit:\n      1️⃣reasn: done", "unknown key 'reasn' in 'exit'. Did you mean 'reason'?"),
        ("flow: K\nsteps:\n  - exit: {}\n    1️⃣idd: x", "in an exit step. Did you mean 'id'?"),
        (
            "flow: K\n1️⃣descripton: x\nsteps: []",
            "unknown key 'descripton' in the flow document. Did you mean 'description'?"
        ),
        ("flow: K\nsteps: []\n1️⃣output: []", "unknown key 'output' in the flow document. Did you mean 'outputs'?"),
        ("flow: K\nsteps: []\n1️⃣on_cancle: []", "Did you mean 'on_cancel'?"),
        (
            "flow: K\ninputs:\n  - name: a\n    1️⃣tpye: string\nsteps: []",
            "unknown key 'tpye' in an input definition. Did you mean 'type'?"
        ),
        ("flow: K\ninputs:\n  - name: a\n    1️⃣requried: true\nsteps: []", "Did you mean 'required'?"),
        (
            "flow: K\nsteps:\n  - task: Ret\n    id: a\noutputs:\n  - name: a\n    1️⃣vaule: 1",
            "unknown key 'vaule' in an output definition. Did you mean 'value'?"
        ),
    ]

    @Test(arguments: unknownKeys)
    func unknownKeySuggestsTheNearestAllowedKey(yaml: String, message: String) {
        expectLoadErrors(MarkedYAML(yaml), ["1️⃣": message])
    }

    @Test func unknownKeyWithoutCloseMatchListsTheAllowedKeys() {
        let diagnostics = expectLoadErrors(
            "flow: K\nsteps:\n  - task: Ret\n    1️⃣zzzzzz: 1\n",
            ["1️⃣": "unknown key 'zzzzzz' in a task step. Allowed keys: task, inputs, retry"]
        )
        #expect(diagnostics.allSatisfy { !$0.message.contains("Did you mean") })
    }

    // MARK: Missing pieces

    @Test func flowWithoutNameOrStepsIsAnErrorAtTheDocumentStart() {
        expectLoadErrors(
            "1️⃣description: nothing here\n",
            [
                "1️⃣": "the flow needs a name: add 'flow: MyFlow' at the top",
                "1️⃣": "the flow needs a 'steps:' list",
            ]
        )
    }

    @Test func stepsThatIsNotAListIsAnError() {
        expectLoadErrors("flow: K\nsteps: 1️⃣run everything\n", ["1️⃣": "'steps' must be a list of steps, found the string 'run everything'"])
    }

    // MARK: on_error

    @Test func onErrorAsAStringIsAnError() {
        let yaml = MarkedYAML(
            """
            flow: Handled
            steps:
              - task: Fail
                on_error: 1️⃣log and continue
            """
        )
        expectLoadErrors(
            yaml,
            ["1️⃣": "'on_error' must be a list of steps or {steps: [...]}, found the string 'log and continue'"]
        )
    }

    @Test func onErrorMappingWithoutStepsIsAnError() {
        let yaml = MarkedYAML(
            """
            flow: Handled
            steps:
              - task: Fail
                on_error:
                  1️⃣stepz:
                    - task: Log
            """
        )
        expectLoadErrors(
            yaml,
            [
                "1️⃣": "unknown key 'stepz' in 'on_error'. Did you mean 'steps'?",
                "1️⃣": "'on_error' as a mapping needs a 'steps' list",
            ]
        )
    }

    // MARK: switch

    @Test func switchCaseWithoutWhenIsAnError() {
        let yaml = MarkedYAML(
            """
            flow: Switch
            inputs: [kind]
            steps:
              - switch: ${inputs.kind}
                cases:
                  - when: a
                    do: []
                  - 1️⃣do:
                      - task: Ret
            """
        )
        expectLoadErrors(yaml, ["1️⃣": "a switch case needs 'when' (or 'default')"])
    }

    @Test func switchWithoutCasesIsAnError() {
        let yaml = MarkedYAML(
            """
            flow: Switch
            inputs: [kind]
            steps:
              - task: Ret
              - 1️⃣switch: ${inputs.kind}
            """
        )
        expectLoadErrors(yaml, ["1️⃣": "a switch needs 'cases'"])
    }

    @Test func switchCasesThatAreNotAListIsAnError() {
        let yaml = MarkedYAML(
            """
            flow: Switch
            inputs: [kind]
            steps:
              - switch: ${inputs.kind}
                cases: 1️⃣{when: a}
            """
        )
        expectLoadErrors(yaml, ["1️⃣": "'cases' must be a list of {when, do} entries, found a mapping"])
    }

    @Test(arguments: [
        (
            "two case entries",
            """
                cases:
                  - default:
                      - task: A
                  - when: x
                    do: []
                  - 1️⃣default:
                      - task: B
            """
        ),
        (
            "a sibling and a case entry",
            """
                default:
                  - task: A
                cases:
                  - when: x
                    do: []
                  - 1️⃣default:
                      - task: B
            """
        ),
    ])
    func twoSwitchDefaultsAreAnError(form: String, body: String) {
        let yaml = MarkedYAML(
            """
            flow: Switch
            inputs: [kind]
            steps:
              - switch: ${inputs.kind}
            \(body)
            """
        )
        expectLoadErrors(yaml, ["1️⃣": "this switch has more than one default"])
    }

    // MARK: exit

    @Test(arguments: [("1️⃣[a, b]", "found a list"), ("1️⃣done", "found the string 'done'"), ("1️⃣42", "found the integer 42")])
    func exitOutputsThatAreNotAMappingAreAnError(outputs: String, found: String) {
        let yaml = MarkedYAML(
            """
            flow: Exit
            steps:
              - exit:
                  reason: finished
                  outputs: \(outputs)
            """
        )
        expectLoadErrors(yaml, ["1️⃣": "exit 'outputs' must be a mapping of names to values, \(found)"])
    }

    @Test func exitWithAListIsAnError() {
        let diagnostics = expectLoadErrors("flow: Exit\nsteps:\n  - exit: 1️⃣[now]\n", ["1️⃣": "'exit' takes true, nothing"])
        #expect(diagnostics.first?.message.hasSuffix("found a list") == true)
    }

    // MARK: Conditions

    static let badConditions: [(String, String)] = [
        ("  - if: ${a} == 1️⃣= 5\n    then: []", "invalid condition '${a} == = 5': single '=' is not an operator"),
        ("  - if: \"${a} == 1️⃣= 5\"\n    then: []", "single '=' is not an operator; use '==' to compare"),
        ("  - if: '${a} == 1️⃣= 5'\n    then: []", "single '=' is not an operator"),
        ("  - if: ${a} 1️⃣= 5\n    then: []", "single '=' is not an operator"),
        ("  - task: Ret\n    if: ${a} == 1️⃣= 5", "single '=' is not an operator"),
        ("  - task: Ret\n    if: \"${a} == 1️⃣= 5\"", "single '=' is not an operator"),
        ("  - if: ${a} 1️⃣& ${b}\n    then: []", "single '&' is not an operator; use '&&' or 'and'"),
        ("  - if: ${a} == 1 1️⃣)\n    then: []", "unexpected ')'; expected an operator or the end"),
        ("  - if: ${a} == 1️⃣${b\n    then: []", "unclosed '${': add the closing '}'"),
        ("  - if: ${a} >1️⃣\n    then: []", "the condition ends where a value was expected"),
        ("  - if: \"${a} == 1️⃣'open\"\n    then: []", "unterminated string starting with '"),
        ("  - if: ${a} | 1️⃣size > 2\n    then: []", "unknown filter after '|'"),
        ("  - if:\n      any:\n        - true\n        - ${b} 1️⃣=! 2\n    then: []", "single '=' is not an operator"),
        ("  - if: 1️⃣~\n    then: []", "'if' needs a condition"),
        ("  - if: 1️⃣[a, b]\n    then: []", "'if' must be a condition string, a boolean, or {any|all|none: [...]}"),
        ("  - if:\n      1️⃣anyy: []\n    then: []", "a condition mapping needs exactly one of 'any', 'all' or 'none'. Did you mean 'any'?"),
    ]

    @Test(arguments: badConditions)
    func badConditionPointsAtTheProblemInsideTheCondition(steps: String, message: String) {
        let yaml = MarkedYAML("flow: Conditions\nsteps:\n\(steps)\n")
        expectLoadErrors(yaml, ["1️⃣": message])
    }

    @Test func quotedConditionErrorIsOneColumnRightOfThePlainOne() {
        let plain = MarkedYAML("flow: C\nsteps:\n  - if: ${a} == 1️⃣= 5\n    then: []\n")
        let quoted = MarkedYAML("flow: C\nsteps:\n  - if: \"${a} == 1️⃣= 5\"\n    then: []\n")
        let plainError = expectLoadErrors(plain, ["1️⃣": "single '='"]).first
        let quotedError = expectLoadErrors(quoted, ["1️⃣": "single '='"]).first
        #expect(plainError?.location.column == 17)
        #expect(quotedError?.location.column == 18)
    }

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
        #expect(diagnostics.allSatisfy { !$0.message.contains("\n") }, "a diagnostic is one line, without the document pasted in")
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
        #expect(diagnostics.contains { $0.severity == .warning && $0.location == yaml.location("1️⃣", file: markedYAMLFile) })
    }

    @Test func diagnosticDescriptionIsFileLineColumnSeverityMessage() throws {
        let diagnostics = expectLoadErrors("flow: K\nsteps:\n  - 1️⃣tsk: Ret\n", ["1️⃣": "unknown step kind"])
        let first = try #require(diagnostics.first)
        #expect(first.description.hasPrefix("flow.yaml:3:5: error: unknown step kind with keys 'tsk'."))
        let noFile = Diagnostic(.warning, "careful", at: FlowCore.SourceLocation(line: 2, column: 7))
        #expect(noFile.description == "2:7: warning: careful")
    }
}

/// `flowlang validate`'s library half: printable report lines for a flow file.
@Suite("Loader diagnostics: flowlang validate")
struct LoaderValidateFileTests {
    func temporaryFile(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("loader-validate-\(UUID().uuidString).yaml").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func invalidFileGivesPathLineColumnErrorLines() throws {
        let yaml = MarkedYAML(
            """
            flow: Broken
            steps:
              - 1️⃣tsk: Ret
              - task: Ret
                retry: 2️⃣3
            """
        )
        let path = try temporaryFile(yaml.text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = FlowValidation.validate(file: path)
        #expect(!report.isValid)
        #expect(report.file == path)
        #expect(report.lines.count == 3)
        #expect(report.lines.first?.hasPrefix("\(path):\(yaml.lineColumn("1️⃣")): error: unknown step kind") == true)
        #expect(report.lines.dropFirst().first?.hasPrefix("\(path):\(yaml.lineColumn("2️⃣")): error: 'retry' must be a mapping") == true)
        #expect(report.lines.last == "\(path): 2 error(s), 0 warning(s)")
    }

    @Test func validFileWithWarningsIsValid() throws {
        let path = try temporaryFile("flow: Fine\nsteps:\n  - exit\n  - task: Ret\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = FlowValidation.validate(file: path)
        #expect(report.isValid)
        #expect(report.lines.first?.hasPrefix("\(path):4:5: warning: this step is unreachable") == true)
        #expect(report.lines.last == "\(path): valid with 1 warning(s)")
    }

    @Test func missingFileSaysItDoesNotExist() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-flow-\(UUID().uuidString).yaml").path
        let report = FlowValidation.validate(file: path)
        #expect(!report.isValid)
        let diagnostic = try #require(report.diagnostics.first)
        #expect(diagnostic.message.contains("does not exist"))
        #expect(diagnostic.location == FlowCore.SourceLocation(file: path, line: 1, column: 1))
        #expect(report.lines.first == "\(path):1:1: error: the flow file does not exist")
    }

    @Test func fileThatIsNotUTF8CannotBeRead() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("binary-\(UUID().uuidString).yaml").path
        try Data([0x66, 0x6C, 0x6F, 0x77, 0x3A, 0x20, 0xFF, 0xFE, 0xC0, 0x0A]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = FlowValidation.validate(file: path)
        #expect(!report.isValid)
        #expect(report.diagnostics.first?.message.contains("cannot be read as UTF-8") == true)
    }
}
