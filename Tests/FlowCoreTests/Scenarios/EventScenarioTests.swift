import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// Spec §2.3 and §12.11 S45: event order, event data, execution ids and `silent`.
@Suite(.timeLimit(.minutes(1)))
struct EventScenarioTests {
    struct OrderCase: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var events: [String]
        var testDescription: String { name }
    }

    static let orderCases: [OrderCase] = [
        OrderCase(
            name: "success",
            yaml: """
                flow: O
                steps:
                  - task: Ret
                    id: a
                    inputs: {value: 1}
                  - task: Ret
                    id: b
                    inputs: {value: 2}
                """,
            events: [
                "flow_started", "step_started(a)", "step_completed(a)", "step_started(b)", "step_completed(b)",
                "flow_completed",
            ]
        ),
        OrderCase(
            name: "failure",
            yaml: """
                flow: O
                steps:
                  - task: Fail
                    id: f
                  - task: Ret
                    id: never
                    inputs: {value: 1}
                """,
            events: ["flow_started", "step_started(f)", "step_failed(f)", "flow_failed"]
        ),
        OrderCase(
            name: "handled failure",
            yaml: """
                flow: O
                steps:
                  - task: Fail
                    id: f
                    on_error:
                      - task: Ret
                        id: handler
                        inputs: {value: 1}
                  - task: Ret
                    id: next
                    inputs: {value: 2}
                """,
            events: [
                "flow_started", "step_started(f)", "step_failed(f)", "step_started(handler)", "step_completed(handler)",
                "step_started(next)", "step_completed(next)", "flow_completed",
            ]
        ),
        OrderCase(
            name: "exit",
            yaml: """
                flow: O
                steps:
                  - task: Ret
                    id: a
                    inputs: {value: 1}
                  - exit: {reason: done}
                """,
            events: ["flow_started", "step_started(a)", "step_completed(a)", "flow_terminated", "flow_completed"]
        ),
        OrderCase(
            name: "retry",
            yaml: """
                flow: O
                steps:
                  - task: Flaky
                    id: f
                    inputs: {fail_times: 1}
                    retry: {max_attempts: 2, delay_seconds: 0}
                """,
            events: ["flow_started", "step_started(f)", "step_retrying(f)", "step_completed(f)", "flow_completed"]
        ),
        OrderCase(
            name: "control flow emits nothing of its own",
            yaml: """
                flow: O
                steps:
                  - if: 1 == 1
                    then:
                      - for_each: [x]
                        do:
                          - switch: a
                            cases:
                              - when: a
                                do:
                                  - task: Ret
                                    id: inner
                                    inputs: {value: 1}
                """,
            events: ["flow_started", "step_started(inner)", "step_completed(inner)", "flow_completed"]
        ),
    ]

    @Test(arguments: orderCases)
    func eventsComeInSpecOrder(_ orderCase: OrderCase) async throws {
        let scenario = EngineScenario()
        _ = try await scenario.run(orderCase.yaml)
        #expect(scenario.log.eventNamesWithSteps == orderCase.events)
    }

    @Test func cancelledRunEndsWithTheLastFinishedStepThenFlowCancelled() async throws {
        let scenario = EngineScenario()
        let clock = ManualClock()
        let signal = CancellationSignal()
        let flow = try loadFlow(
            """
            flow: O
            steps:
              - task: Ret
                id: a
                inputs: {value: 1}
              - task: Slow
                id: slow
                inputs: {ms: 300, tag: s}
            """
        )
        let executor = try scenario.executor(clock: clock)
        async let running = executor.execute(flow, options: scenario.options(cancellation: signal))
        await clock.waitForSleepers(count: 1)
        signal.cancel(reason: "stop")
        _ = try await running
        #expect(
            scenario.log.eventNamesWithSteps == [
                "flow_started", "step_started(a)", "step_completed(a)", "step_started(slow)", "flow_cancelled",
            ])
    }

    @Test(arguments: orderCases)
    func exactlyOneTerminalEventEndsEveryRun(_ orderCase: OrderCase) async throws {
        let scenario = EngineScenario()
        _ = try await scenario.run(orderCase.yaml)
        #expect(scenario.log.events.filter { $0.kind.isTerminal }.count == 1)
        #expect(scenario.log.events.last?.kind.isTerminal == true)
    }

    // MARK: Execution id

    @Test func everyEventCarriesTheExecutionId() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            """
            flow: O
            inputs:
              - name: x
            steps:
              - task: Flaky
                id: f
                inputs: {fail_times: 1}
                retry: {max_attempts: 2, delay_seconds: 0}
              - subflow: child
                id: c
                inputs: {v: "${inputs.x}"}
              - task: Fail
                on_error:
                  - exit
            """,
            inputs: ["x": "y"],
            executionId: "exec-42"
        )
        #expect(result.executionId == "exec-42")
        #expect(result.json["execution_id"] == "exec-42")
        let events = scenario.log.events
        #expect(events.count >= 10)
        #expect(events.allSatisfy { $0.executionId == "exec-42" })
        #expect(events.allSatisfy { $0.payload["execution_id"] == "exec-42" })
    }

    @Test func executionsGetDistinctIdsByDefault() async throws {
        let first = EngineScenario()
        let second = EngineScenario()
        let yaml = "flow: O\nsteps:\n  - task: Ret\n    inputs: {value: 1}\n"
        let a = try await first.run(yaml)
        let b = try await second.run(yaml)
        #expect(!a.executionId.rawValue.isEmpty)
        #expect(a.executionId != b.executionId)
        #expect(first.log.events.allSatisfy { $0.executionId == a.executionId })
    }

    // MARK: Event data

    @Test func stepStartedCarriesTheResolvedInputs() async throws {
        let scenario = EngineScenario()
        _ = try await scenario.run(
            """
            flow: O
            inputs:
              - name: name
              - name: count
                type: integer
            steps:
              - task: Ret
                id: prev
                inputs: {value: {tags: [a, b]}}
              - task: Echo
                id: e
                inputs:
                  greeting: "Hello ${inputs.name}"
                  n: ${inputs.count}
                  nested: {list: ["${inputs.count}", x], tags: "${prev.tags}"}
                  literal: plain
            """,
            inputs: ["name": "Ada", "count": 3]
        )
        let started = try #require(scenario.events(.stepStarted).first { $0.stepId == "e" })
        let expected: FlowValue = [
            "greeting": "Hello Ada",
            "n": 3,
            "nested": ["list": [3, "x"], "tags": ["a", "b"]],
            "literal": "plain",
        ]
        #expect(started.data["inputs"] == expected)
        #expect(started.data["task"] == "Echo")
        let completed = try #require(scenario.events(.stepCompleted).first { $0.stepId == "e" })
        #expect(completed.data["outputs"] == expected)
        #expect(completed.data["duration_ms"]?.doubleValue != nil)
    }

    @Test func flowEventsCarryTheirFields() async throws {
        let scenario = EngineScenario()
        _ = try await scenario.run(
            """
            flow: Fields
            inputs:
              - name: who
                default: world
            steps:
              - task: Ret
                id: r
                inputs: {value: "hi ${inputs.who}"}
            outputs:
              - name: r
            """
        )
        let started = try #require(scenario.events(.flowStarted).first)
        #expect(started.data["flow"] == "Fields")
        #expect(started.data["inputs"] == ["who": "world"])
        let completed = try #require(scenario.events(.flowCompleted).first)
        #expect(completed.data["flow"] == "Fields")
        #expect(completed.data["success"] == true)
        #expect(completed.data["outputs"] == ["r": "hi world"])
        #expect(completed.data["duration_ms"]?.doubleValue != nil)
    }

    @Test func failureEventsCarryTheOriginalErrorAndType() async throws {
        let scenario = EngineScenario()
        _ = try await scenario.run("flow: F\nsteps:\n  - task: Fail\n    id: f\n    inputs: {msg: kaput}\n")
        let stepFailed = try #require(scenario.events(.stepFailed).first)
        #expect(stepFailed.data["error"] == "kaput")
        #expect(stepFailed.data["error_type"] == "ValueError")
        #expect(stepFailed.data["task"] == "Fail")
        let flowFailed = try #require(scenario.events(.flowFailed).first)
        #expect(flowFailed.data["flow"] == "F")
        #expect(flowFailed.data["success"] == false)
        #expect(flowFailed.data["error"] == "kaput")
        #expect(flowFailed.data["error_type"] == "ValueError")
    }

    @Test func eventPayloadAddsTimestampAndExecutionId() async throws {
        let scenario = EngineScenario()
        _ = try await scenario.run(
            "flow: P\nsteps:\n  - task: Ret\n    id: r\n    inputs: {value: 1}\n", executionId: "e1")
        for event in scenario.log.events {
            let timestamp = try #require(event.payload["timestamp"]?.stringValue)
            #expect(timestamp.hasSuffix("+00:00"))
            #expect(event.payload["execution_id"] == "e1")
        }
    }

    @Test func invalidInputsAreRefusedBeforeAnyEvent() async throws {
        let scenario = EngineScenario()
        await #expect(throws: InputValidationError.self) {
            try await scenario.run(
                """
                flow: O
                inputs:
                  - name: needed
                    required: true
                steps:
                  - task: Ret
                    inputs: {value: 1}
                """
            )
        }
        #expect(scenario.log.events.isEmpty)
        #expect(scenario.tasks.callOrder.isEmpty)
    }

    // MARK: S45 silent

    struct SilentCase: Sendable, CustomTestStringConvertible {
        var flowSilent: String?
        var stepSilent: [String?]
        var events: [String]
        var testDescription: String { "flow \(flowSilent ?? "-") steps \(stepSilent.map { $0 ?? "-" })" }
    }

    static let silentCases: [SilentCase] = [
        SilentCase(
            flowSilent: "true",
            stepSilent: [nil, "false"],
            events: ["flow_started", "step_started(b)", "step_completed(b)", "flow_completed"]
        ),
        SilentCase(
            flowSilent: nil,
            stepSilent: ["true", nil],
            events: ["flow_started", "step_started(b)", "step_completed(b)", "flow_completed"]
        ),
        SilentCase(
            flowSilent: "false",
            stepSilent: [nil, nil],
            events: [
                "flow_started", "step_started(a)", "step_completed(a)", "step_started(b)", "step_completed(b)",
                "flow_completed",
            ]
        ),
        SilentCase(flowSilent: "true", stepSilent: [nil, nil], events: ["flow_started", "flow_completed"]),
        SilentCase(
            flowSilent: "true",
            stepSilent: ["false", "true"],
            events: ["flow_started", "step_started(a)", "step_completed(a)", "flow_completed"]
        ),
    ]

    @Test(arguments: silentCases)
    func silentSuppressesStepEventsOnly(_ silentCase: SilentCase) async throws {
        func step(_ id: String, _ silent: String?) -> String {
            "  - task: Ret\n    id: \(id)\n    inputs: {value: 1}\n" + (silent.map { "    silent: \($0)\n" } ?? "")
        }
        let yaml =
            "flow: S\n" + (silentCase.flowSilent.map { "silent: \($0)\n" } ?? "") + "steps:\n"
            + step("a", silentCase.stepSilent[0]) + step("b", silentCase.stepSilent[1])
        let scenario = EngineScenario()
        let result = try await scenario.run(yaml)
        #expect(result.status == .completed)
        #expect(scenario.log.eventNamesWithSteps == silentCase.events)
    }

    @Test func silentFailingStepStillFailsTheFlowWithFlowFailed() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run("flow: S\nsilent: true\nsteps:\n  - task: Fail\n    id: f\n")
        #expect(result.status == .failed)
        #expect(scenario.log.eventNamesWithSteps == ["flow_started", "flow_failed"])
    }

    @Test func silentDoesNotAffectSubflowEvents() async throws {
        let scenario = EngineScenario()
        _ = try await scenario.run("flow: S\nsilent: true\nsteps:\n  - subflow: direct\n    id: d\n")
        #expect(
            scenario.log.eventNamesWithSteps == [
                "flow_started", "subflow_started(d)", "subflow_completed(d)", "flow_completed",
            ])
    }
}
