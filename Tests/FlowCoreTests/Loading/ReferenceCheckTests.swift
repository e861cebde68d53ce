import FlowCore
import OrderedCollections
import Testing

/// Reference roots checked at load time: step ids, inputs, loop variables and `${error}`.
@Suite("Reference checks")
struct ReferenceCheckTests {
    /// Places where a reference can be written, each with `${fetc.x}` (a typo of the step id `fetch`) at 1️⃣.
    static let typoPlaces: [(String, String)] = [
        ("task inputs", "  - task: Ret\n    inputs:\n      label: fixed\n      value: 1️⃣${fetc.x}"),
        ("task inputs, interpolated", "  - task: Ret\n    inputs:\n      label: \"1️⃣got ${fetc.x} back\""),
        (
            "nested task inputs",
            "  - task: Ret\n    inputs:\n      first: 1\n      deep:\n        list:\n          - a\n          - 1️⃣${fetc.x}"
        ),
        ("task-level if", "  - task: Ret\n    if: 1️⃣${fetc.x} == 1"),
        ("if condition", "  - if: 1️⃣${fetc.x} > 2\n    then: []"),
        ("quoted if condition", "  - if: \"1️⃣${fetc.x} > 2\"\n    then: []"),
        ("any condition", "  - if:\n      any:\n        - true\n        - 1️⃣${fetc.x}\n    then: []"),
        ("switch value", "  - switch: 1️⃣${fetc.x}\n    cases:\n      - when: 1\n        do: []"),
        ("switch when", "  - switch: ${fetch.kind}\n    cases:\n      - when: 1️⃣${fetc.x}\n        do: []"),
        ("for_each items", "  - for_each: 1️⃣${fetc.items}\n    do:\n      - task: Ret"),
        ("subflow inputs", "  - subflow: child\n    inputs:\n      a: 1\n      b: 1️⃣${fetc.x}"),
        ("exit reason", "  - exit:\n      reason: \"1️⃣${fetc.x}\""),
        ("exit outputs", "  - exit:\n      outputs:\n        ok: true\n        value: 1️⃣${fetc.x}"),
        ("then branch", "  - if: true\n    then:\n      - task: Ret\n        if: 1️⃣${fetc.x}"),
        ("on_error handler", "  - task: Ret\n    on_error:\n      - if: 1️⃣${fetc.x}\n        then: []"),
        ("flow output value", "  - task: Ret\noutputs:\n  - name: result\n    value: 1️⃣${fetc.x}"),
        ("flow output by name", "  - task: Ret\noutputs:\n  - 1️⃣fetc"),
        ("on_cancel", "  - task: Ret\non_cancel:\n  - task: Ret\n    if: 1️⃣${fetc.x}"),
    ]

    @Test(arguments: typoPlaces)
    func unknownReferenceRootIsAnErrorSuggestingTheNearestStepId(place: String, steps: String) {
        let yaml = MarkedYAML(
            """
            flow: Refs
            steps:
              - task: Fetch
                id: fetch
            \(steps)
            """
        )
        expectLoadErrors(yaml, ["1️⃣": "no step id, input or loop variable named 'fetc'. Did you mean 'fetch'?"])
    }

    @Test func unknownReferenceWithNothingCloseHasNoSuggestion() {
        let diagnostics = expectLoadErrors(
            "flow: Refs\nsteps:\n  - task: Ret\n    id: fetch\n  - if: 1️⃣${nope.x} == 1\n    then: []\n",
            ["1️⃣": "unknown reference ${nope.x}: no step id, input or loop variable named 'nope'."]
        )
        #expect(diagnostics.allSatisfy { !$0.message.contains("Did you mean") })
    }

    @Test func referenceToAStepDefinedLaterOrNestedLoads() throws {
        let flow = try loadFlow(
            """
            flow: Refs
            steps:
              - if: ${late.ok}
                then:
                  - task: Ret
                    id: nested
              - task: Ret
                id: late
                inputs:
                  value: ${nested.value}
            """
        )
        #expect(flow.steps.count == 2)
        #expect(flow.warnings.isEmpty)
    }

    @Test func dependsOnUnknownStepIsAnError() {
        let diagnostics = expectLoadErrors(
            "flow: Refs\nsteps:\n  - task: Ret\n    id: fetch\n  - task: Ret\n    depends_on: [fetc]\n",
            [:],
            exhaustive: false
        )
        #expect(
            diagnostics.contains { $0.severity == .error && $0.message.contains("named 'fetc'. Did you mean 'fetch'?") }
        )
        #expect(diagnostics.allSatisfy { $0.location.line == 6 })
    }

    // MARK: ${error}

    @Test func errorReferenceOutsideOnErrorIsAnError() {
        let yaml = MarkedYAML(
            """
            flow: Errors
            steps:
              - task: Fail
                on_error:
                  - task: Log
                    inputs:
                      msg: ${error.message}
              - task: Log
                if: 1️⃣${error.message} != ""
            """
        )
        expectLoadErrors(
            yaml,
            [
                "1️⃣":
                    "unknown reference ${error.message}: no step id, input or loop variable named 'error' ('${error}' is only available inside on_error)"
            ]
        )
    }

    @Test(arguments: [
        "on_error:\n      - task: Log\n        inputs:\n          msg: ${error.message}\n          kind: \"type=${error.type}\"",
        "on_error:\n      steps:\n        - if: ${error.type} == ValueError\n          then:\n            - task: Log\n              inputs: {msg: \"${error.message}\"}",
        "on_error:\n      - for_each: [1, 2]\n        do:\n          - task: Log\n            inputs: {msg: \"${item}: ${error.message}\"}",
    ])
    func errorReferenceInsideOnErrorLoads(handler: String) throws {
        let flow = try loadFlow(
            """
            flow: Errors
            steps:
              - task: Fail
                \(handler)
              - subflow: child
                on_error:
                  - task: Log
                    inputs: {msg: "${error.message}"}
            """
        )
        #expect(flow.steps.first?.asTask?.onError?.isEmpty == false)
        #expect(flow.warnings.isEmpty)
    }

    // MARK: Loop variables

    @Test func loopVariableIsKnownInsideTheLoopButNotAfterIt() {
        let yaml = MarkedYAML(
            """
            flow: Loops
            inputs: [orders]
            steps:
              - for_each: ${inputs.orders}
                do:
                  - task: Ret
                    inputs:
                      value: ${item.id}
                  - if: ${item.total} > 100
                    then:
                      - task: Ret
                        inputs: {value: "${item}"}
              - if: 1️⃣${item.id} == 1
                then: []
            """
        )
        expectLoadErrors(yaml, ["1️⃣": "unknown reference ${item.id}: no step id, input or loop variable named 'item'"])
    }

    @Test func namedLoopVariableReplacesItem() {
        let yaml = MarkedYAML(
            """
            flow: Loops
            inputs: [orders]
            steps:
              - for_each: ${inputs.orders}
                as: order
                do:
                  - task: Ret
                    if: ${order.total} > 1
                  - task: Ret
                    if: 1️⃣${item.total} > 1
            """
        )
        expectLoadErrors(
            yaml, ["1️⃣": "unknown reference ${item.total}: no step id, input or loop variable named 'item'"])
    }

    @Test func nestedLoopsSeeBothVariables() throws {
        let flow = try loadFlow(
            """
            flow: Loops
            inputs: [orders]
            steps:
              - for_each: ${inputs.orders}
                as: order
                do:
                  - for_each: ${order.lines}
                    as: line
                    do:
                      - task: Ret
                        inputs: {value: "${order.id}/${line.sku}"}
            """
        )
        #expect(flow.steps.first?.asForEach?.steps.first?.asForEach?.variable == "line")
        #expect(flow.warnings.isEmpty)
    }

    @Test(arguments: ["1️⃣inputs", "1️⃣a.b", "1️⃣\"$x\""])
    func reservedOrMalformedLoopVariableIsAnError(name: String) {
        let yaml = MarkedYAML("flow: Loops\nsteps:\n  - for_each: [1]\n    as: \(name)\n    do: []\n")
        expectLoadErrors(yaml, ["1️⃣": "cannot be a loop variable name"])
    }

    // MARK: ${inputs.*}

    @Test func undeclaredInputIsAWarningAndTheFlowStillLoads() throws {
        let yaml = MarkedYAML(
            """
            flow: Inputs
            inputs:
              - name: amount
                type: number
            steps:
              - if: 1️⃣${inputs.amout} > 5
                then:
                  - task: Ret
                    inputs: {value: "${inputs.amount}"}
            """
        )
        let flow = expectLoadWarnings(
            yaml,
            ["1️⃣": "${inputs.amout} reads input 'amout', which the flow does not declare. Did you mean 'amount'?"]
        )
        #expect(flow?.steps.count == 1)
    }

    @Test func undeclaredInputIsNotCheckedWhenTheFlowDeclaresNoInputs() throws {
        let flow = try loadFlow(
            """
            flow: Inputs
            steps:
              - task: Ret
                inputs: {value: "${inputs.anything}"}
            """
        )
        #expect(flow.warnings.isEmpty)
    }

    @Test func wholeInputsObjectIsAlwaysFine() throws {
        let flow = try loadFlow(
            """
            flow: Inputs
            inputs: [amount]
            steps:
              - task: Ret
                inputs: {value: "${inputs}"}
            """
        )
        #expect(flow.warnings.isEmpty)
    }
}

@Suite struct ErrorStepIdTests {
    @Test func aStepNamedErrorLoadsAndTheHandlerErrorShadowsItInsideOnError() async throws {
        let flow = try FlowLoader().load(
            yaml: """
                flow: Original
                steps:
                  - task: Echo
                    id: error
                    inputs: {message: "from the step"}
                  - task: Fail
                    id: boom
                    inputs: {message: "from the failure"}
                    on_error:
                      - task: Echo
                        id: handled
                        inputs: {seen: "${error.message}"}
                outputs:
                  - name: step
                    value: ${error.message}
                  - name: handler
                    value: ${handled.seen}
                """
        )
        let result = try await FlowExecutor().execute(flow)
        #expect(result.outputs["step"] == "from the step")
        #expect(result.outputs["handler"] == "from the failure")
    }
}
