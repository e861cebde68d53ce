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
        expectLoadErrors(
            "flow: K\nsteps: 1️⃣run everything\n",
            ["1️⃣": "'steps' must be a list of steps, found the string 'run everything'"])
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

    @Test(arguments: [
        ("1️⃣[a, b]", "found a list"), ("1️⃣done", "found the string 'done'"), ("1️⃣42", "found the integer 42"),
    ])
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
        let diagnostics = expectLoadErrors(
            "flow: Exit\nsteps:\n  - exit: 1️⃣[now]\n", ["1️⃣": "'exit' takes true, nothing"])
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
        (
            "  - if:\n      1️⃣anyy: []\n    then: []",
            "a condition mapping needs exactly one of 'any', 'all' or 'none'. Did you mean 'any'?"
        ),
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
}
