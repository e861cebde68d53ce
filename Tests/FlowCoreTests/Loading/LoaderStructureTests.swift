import FlowCore
import OrderedCollections
import Testing

/// What a valid flow loads into: step kinds, locations, parsed expressions and YAML typing.
@Suite("Loader structure")
struct LoaderStructureTests {
    // MARK: Every step kind

    static let everyKind = MarkedYAML(
        """
        flow: AllKinds
        description: every kind of step
        inputs:
          - name: amount
            type: number
            default: 5
          - name: orders
            type: array
            required: true
        steps:
          - 1️⃣task: Ret
            id: first
            inputs:
              value: ${inputs.amount}
              label: "n=${inputs.amount}!"
              fixed: 3
          - 2️⃣parallel:
              - task: Ret
                id: left
              - 8️⃣task: Ret
                id: right
          - 3️⃣if: ${first} > 10 and not ${left.ok}
            then:
              - 9️⃣task: Ret
            else:
              - task: Ret
          - 4️⃣switch: ${first.kind}
            cases:
              - 🔟when: big
                do:
                  - task: Ret
              - when: [small, tiny]
                do:
                  - task: Ret
          - 5️⃣for_each: ${inputs.orders}
            do:
              - 0️⃣task: Ret
                inputs:
                  value: ${item.id}
          - 6️⃣subflow: child
            id: sub
            inputs:
              amount: ${inputs.amount}
          - 7️⃣exit:
              reason: done
              outputs:
                total: ${first}
        outputs:
          - name: total
            value: ${first}
        """
    )

    @Test func flowWithEveryStepKindLoadsIntoMatchingCasesWithoutWarnings() throws {
        let flow = try loadMarked(Self.everyKind)
        #expect(flow.name == "AllKinds")
        #expect(flow.description == "every kind of step")
        #expect(flow.sourcePath == markedYAMLFile)
        #expect(flow.warnings.isEmpty)
        #expect(flow.steps.map(\.kindName) == ["task", "parallel", "if", "switch", "for_each", "subflow", "exit"])
        #expect(flow.inputs.map(\.name) == ["amount", "orders"])
        #expect(flow.inputs.map(\.type) == [.number, .array])
        #expect(flow.inputs.map(\.required) == [false, true])
        #expect(flow.inputs.first?.defaultValue == .int(5))
        #expect(flow.outputs.map(\.name) == ["total"])
        #expect(flow.outputs.first?.value.shape == "${first}")
    }

    @Test(arguments: ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣"].enumerated().map { ($0.offset, $0.element) })
    func topLevelStepLocationIsItsFirstKey(index: Int, marker: String) throws {
        let flow = try loadMarked(Self.everyKind)
        try #require(flow.steps.count == 7)
        #expect(flow.steps[index].location == Self.everyKind.location(marker, file: markedYAMLFile))
    }

    @Test func nestedStepLocationsPointAtTheirFirstKey() throws {
        let yaml = Self.everyKind
        let flow = try loadMarked(yaml)
        let parallel = try #require(flow.steps[1].asParallel)
        let conditional = try #require(flow.steps[2].asConditional)
        let switchStep = try #require(flow.steps[3].asSwitch)
        let loop = try #require(flow.steps[4].asForEach)
        #expect(parallel.branches.count == 2)
        #expect(parallel.branches.last?.first?.location == yaml.location("8️⃣", file: markedYAMLFile))
        #expect(conditional.thenSteps.first?.location == yaml.location("9️⃣", file: markedYAMLFile))
        #expect(switchStep.cases.first?.location == yaml.location("🔟", file: markedYAMLFile))
        #expect(loop.steps.first?.location == yaml.location("0️⃣", file: markedYAMLFile))
    }

    @Test func taskStepKeepsNameIdAndParsedInputTemplates() throws {
        let flow = try loadMarked(Self.everyKind)
        let task = try #require(flow.steps[0].asTask)
        #expect(task.task == "Ret")
        #expect(task.id == "first")
        #expect(task.stepId == "first")
        #expect(task.inputs.shape == #"{value:${inputs.amount},label:interp("n=",${inputs.amount},"!"),fixed:3}"#)
        #expect(task.inputs.references.map(\.description) == ["${inputs.amount}", "${inputs.amount}"])
        #expect(task.retry == RetryPolicy.none)
        #expect(task.onError == nil)
        #expect(task.condition == nil)
    }

    @Test func parallelStepHasOneBranchPerEntry() throws {
        let flow = try loadMarked(Self.everyKind)
        let parallel = try #require(flow.steps[1].asParallel)
        #expect(parallel.branches.map { $0.map(\.id) } == [["left"], ["right"]])
    }

    @Test func ifStepParsesItsConditionAndBothBranches() throws {
        let flow = try loadMarked(Self.everyKind)
        let conditional = try #require(flow.steps[2].asConditional)
        #expect(conditional.condition.shape == "(and (> ${first} 10) (not ${left.ok}))")
        guard case .expression(_, let source) = conditional.condition else {
            Issue.record("expected an expression condition, got \(conditional.condition)")
            return
        }
        #expect(source == "${first} > 10 and not ${left.ok}")
        #expect(conditional.thenSteps.count == 1)
        #expect(conditional.elseSteps.count == 1)
    }

    @Test func switchStepParsesValueAndCaseMatches() throws {
        let flow = try loadMarked(Self.everyKind)
        let switchStep = try #require(flow.steps[3].asSwitch)
        #expect(switchStep.value.shape == "${first.kind}")
        #expect(switchStep.cases.map(\.match.shape) == [#""big""#, #"["small","tiny"]"#])
        #expect(switchStep.cases.map(\.steps.count) == [1, 1])
        #expect(switchStep.defaultSteps == nil)
    }

    @Test func forEachStepDefaultsToItemVariableAndSequentialRuns() throws {
        let flow = try loadMarked(Self.everyKind)
        let loop = try #require(flow.steps[4].asForEach)
        #expect(loop.items.shape == "${inputs.orders}")
        #expect(loop.variable == "item")
        #expect(loop.maxConcurrency == 1)
        #expect(loop.id == nil)
        #expect(loop.steps.first?.asTask?.inputs.shape == "{value:${item.id}}")
    }

    @Test func subflowStepKeepsNameIdAndInputs() throws {
        let flow = try loadMarked(Self.everyKind)
        let subflow = try #require(flow.steps[5].asSubflow)
        #expect(subflow.name == "child")
        #expect(subflow.id == "sub")
        #expect(subflow.inputs.shape == "{amount:${inputs.amount}}")
    }

    @Test func exitStepKeepsReasonAndOutputs() throws {
        let flow = try loadMarked(Self.everyKind)
        let exit = try #require(flow.steps[6].asExit)
        #expect(exit.reason?.shape == #""done""#)
        #expect(exit.outputs?.shape == "{total:${first}}")
    }

    // MARK: YAML 1.2 core typing

    static let scalarTyping: [(String, FlowValue)] = [
        ("yes", "yes"),
        ("no", "no"),
        ("Yes", "Yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("true", true),
        ("False", false),
        ("010", 10),
        ("-7", -7),
        ("+12", 12),
        ("0x1F", 31),
        ("0o17", 15),
        ("1_000", "1_000"),
        ("2.5", 2.5),
        ("1e3", 1000.0),
        (".inf", .double(.infinity)),
        ("\"5\"", "5"),
        ("'5'", "5"),
        ("\"true\"", "true"),
        ("~", nil),
        ("null", nil),
        ("", nil),
        ("2024-01-15", "2024-01-15"),
        ("2024-01-15T10:30:00Z", "2024-01-15T10:30:00Z"),
        ("12:30", "12:30"),
        ("1.2.3", "1.2.3"),
    ]

    @Test(arguments: scalarTyping)
    func plainScalarsFollowYAML12CoreSchema(text: String, expected: FlowValue) throws {
        let flow = try loadFlow(
            """
            flow: Typing
            steps:
              - task: Ret
                inputs:
                  v: \(text)
            """
        )
        let task = try #require(flow.steps.first?.asTask)
        guard case .literal(let value) = task.inputs else {
            Issue.record("expected literal inputs, got \(task.inputs.shape)")
            return
        }
        #expect(value == .object(["v": expected]))
    }

    // MARK: Step forms

    @Test func bareExitStringIsAnExitStep() throws {
        let yaml = MarkedYAML(
            """
            flow: Bare
            steps:
              - task: Ret
              - 1️⃣exit
            """
        )
        let flow = try loadMarked(yaml)
        let exit = try #require(flow.steps.last?.asExit)
        #expect(exit.reason == nil)
        #expect(exit.outputs == nil)
        #expect(exit.location == yaml.location("1️⃣", file: markedYAMLFile))
        #expect(flow.warnings.isEmpty)
    }

    @Test func taskLevelIfBecomesTheTaskCondition() throws {
        let flow = try loadFlow(
            """
            flow: Guarded
            inputs: [amount]
            steps:
              - task: Ret
                if: ${inputs.amount} >= 100 or ${inputs.amount} | length == 0
            """
        )
        let task = try #require(flow.steps.first?.asTask)
        let condition = try #require(task.condition)
        #expect(condition.shape == "(or (>= ${inputs.amount} 100) (== (length ${inputs.amount}) 0))")
        #expect(flow.inputs.map(\.name) == ["amount"])
    }

    @Test(arguments: [
        "on_error:\n      - task: Log\n        inputs:\n          msg: ${error.message}",
        "on_error:\n      steps:\n        - task: Log\n          inputs:\n            msg: ${error.message}",
    ])
    func onErrorAcceptsListAndStepsMappingForms(handler: String) throws {
        let flow = try loadFlow(
            """
            flow: Handled
            steps:
              - task: Fail
                \(handler)
            """
        )
        let task = try #require(flow.steps.first?.asTask)
        let handlerSteps = try #require(task.onError)
        #expect(handlerSteps.count == 1)
        #expect(handlerSteps.first?.asTask?.task == "Log")
        #expect(handlerSteps.first?.asTask?.inputs.shape == "{msg:${error.message}}")
        #expect(flow.warnings.isEmpty)
    }

    @Test func subflowOnErrorAndRetryLoad() throws {
        let flow = try loadFlow(
            """
            flow: SubHandled
            steps:
              - subflow: child
                retry: {max_attempts: 2}
                on_error:
                  - task: Log
            """
        )
        let subflow = try #require(flow.steps.first?.asSubflow)
        #expect(subflow.stepId == "child")
        #expect(subflow.retry.maxAttempts == 2)
        #expect(subflow.onError?.first?.asTask?.task == "Log")
    }

    @Test(arguments: [
        (
            "as a case entry",
            """
                cases:
                  - when: a
                    do:
                      - task: A
                  - default:
                      - task: Fallback
            """
        ),
        (
            "as a sibling of cases",
            """
                cases:
                  - when: a
                    do:
                      - task: A
                default:
                  - task: Fallback
            """
        ),
    ])
    func switchDefaultLoadsIntoDefaultSteps(form: String, body: String) throws {
        let flow = try loadFlow(
            """
            flow: Defaults
            inputs: [kind]
            steps:
              - switch: ${inputs.kind}
            \(body)
            """
        )
        let switchStep = try #require(flow.steps.first?.asSwitch)
        #expect(switchStep.cases.count == 1)
        #expect(switchStep.cases.first?.match.shape == #""a""#)
        #expect(switchStep.defaultSteps?.map { $0.asTask?.task } == ["Fallback"])
        #expect(flow.warnings.isEmpty)
    }

    @Test func switchWithOnlyADefaultLoads() throws {
        let flow = try loadFlow(
            """
            flow: OnlyDefault
            inputs: [kind]
            steps:
              - switch: ${inputs.kind}
                default:
                  - task: Fallback
            """
        )
        let switchStep = try #require(flow.steps.first?.asSwitch)
        #expect(switchStep.cases.isEmpty)
        #expect(switchStep.defaultSteps?.count == 1)
    }

    @Test func forEachKeepsAsMaxConcurrencyAndId() throws {
        let flow = try loadFlow(
            """
            flow: Loop
            inputs: [orders]
            steps:
              - for_each: ${inputs.orders}
                as: order
                max_concurrency: 4
                id: results
                do:
                  - task: Ret
                    inputs:
                      value: ${order.total}
              - task: Ret
                inputs:
                  value: ${results}
            """
        )
        let loop = try #require(flow.steps.first?.asForEach)
        #expect(loop.variable == "order")
        #expect(loop.maxConcurrency == 4)
        #expect(loop.id == "results")
        #expect(flow.steps.first?.id == "results")
        #expect(loop.steps.first?.asTask?.inputs.shape == "{value:${order.total}}")
        #expect(flow.warnings.isEmpty)
    }

    // MARK: Durations

    static let durations: [(String, Duration)] = [
        ("30", .seconds(30)),
        ("1.5", .milliseconds(1500)),
        ("\"500ms\"", .milliseconds(500)),
        ("500ms", .milliseconds(500)),
        ("\"2m\"", .seconds(120)),
        ("45s", .seconds(45)),
        ("1h", .seconds(3600)),
    ]

    @Test(arguments: durations)
    func taskTimeoutAcceptsSecondsAndUnitStrings(text: String, expected: Duration) throws {
        let flow = try loadFlow(
            """
            flow: Timed
            steps:
              - task: Slow
                timeout: \(text)
            """
        )
        #expect(flow.steps.first?.asTask?.timeout == expected)
    }

    @Test(arguments: durations)
    func flowTimeoutAcceptsSecondsAndUnitStrings(text: String, expected: Duration) throws {
        let flow = try loadFlow(
            """
            flow: Timed
            timeout: \(text)
            steps:
              - task: Slow
            """
        )
        #expect(flow.timeout == expected)
    }

    @Test(arguments: ["0", "-5", "soon", "\"10 parsecs\"", "[1]"])
    func nonPositiveOrMalformedTimeoutIsAnError(text: String) {
        let yaml = MarkedYAML(
            """
            flow: Timed
            steps:
              - task: Slow
                timeout: 1️⃣\(text)
            """
        )
        expectLoadErrors(yaml, ["1️⃣": "'timeout' must be a"])
    }

    // MARK: Task names

    @Test func referencedTaskNamesCoverEveryNestedListInFirstUseOrder() throws {
        let flow = try loadFlow(
            """
            flow: Names
            steps:
              - task: A
                on_error:
                  - task: OnError
              - if: ${inputs.flag}
                then:
                  - task: Then
                else:
                  - task: Else
                  - task: A
              - switch: ${inputs.kind}
                cases:
                  - when: 1
                    do:
                      - task: Case
                  - when: 2
                    do:
                      - task: Then
                default:
                  - task: Default
              - for_each: ${inputs.items}
                do:
                  - task: Loop
                  - if: true
                    then:
                      - task: DeepInLoop
              - parallel:
                  - task: Par1
                  - task: Then
                  - for_each: [1, 2]
                    do:
                      - task: Par2
              - subflow: child
                on_error:
                  - task: SubflowError
            on_cancel:
              - task: Cleanup
              - task: A
            """
        )
        #expect(
            flow.referencedTaskNames == [
                "A", "OnError", "Then", "Else", "Case", "Default", "Loop", "DeepInLoop", "Par1", "Par2",
                "SubflowError", "Cleanup",
            ]
        )
    }

    @Test func referencedTaskNamesIncludeSwitchDefaultWrittenAsCaseEntry() throws {
        let flow = try loadFlow(
            """
            flow: Names
            steps:
              - switch: ${inputs.kind}
                cases:
                  - default:
                      - task: Fallback
                  - when: 1
                    do:
                      - task: One
            """
        )
        #expect(Set(flow.referencedTaskNames) == ["Fallback", "One"])
        #expect(flow.referencedTaskNames.count == 2)
    }
}
