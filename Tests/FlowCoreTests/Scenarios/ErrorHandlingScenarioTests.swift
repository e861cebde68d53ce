import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// Spec §1.6, §1.8 and §12.7 S27, S28, S30–S32: `on_error`, input resolution errors, `depends_on`,
/// unknown step kinds.
struct ErrorHandlingScenarioTests {
    /// The two spellings of a handler holding one step; `handler` is indented for the `on_error:` value.
    enum HandlerForm: String, CaseIterable, Sendable {
        case list
        case mapping

        func wrap(_ steps: String) -> String {
            switch self {
            case .list:
                return steps
            case .mapping:
                let indented = steps.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
                return "      steps:\n" + indented.joined(separator: "\n")
            }
        }
    }

    /// S27's flow; `withOutputs: false` drops the outputs, for handlers without a `handler` step.
    static func failingFlow(handler: String, form: HandlerForm, withOutputs: Bool = true) -> String {
        let outputs = """
            outputs:
              - name: h
                value: ${handler.handled}
              - name: after
                value: ${after.x}
            """
        return """
            flow: E
            steps:
              - task: Fail
                id: f
                inputs: {msg: bad thing}
                on_error:
            \(form.wrap(handler))
              - task: Echo
                id: after
                inputs: {x: 1}
            \(withOutputs ? outputs : "")
            """
    }

    static let echoHandler = """
              - task: Echo
                id: handler
                inputs: {handled: true}
        """

    // MARK: S27, S28

    @Test(arguments: HandlerForm.allCases)
    func onErrorHandlerRunsAndTheFlowContinues(_ form: HandlerForm) async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(Self.failingFlow(handler: Self.echoHandler, form: form))
        #expect(result.status == .completed)
        #expect(result.failure == nil)
        #expect(result.outputs == ["h": true, "after": 1])
        #expect(
            scenario.log.eventNamesWithSteps == [
                "flow_started", "step_started(f)", "step_failed(f)", "step_started(handler)",
                "step_completed(handler)", "step_started(after)", "step_completed(after)", "flow_completed",
            ]
        )
        let failed = try #require(scenario.events(.stepFailed).first)
        #expect(failed.data["error"] == "bad thing")
        #expect(failed.data["error_type"] == "ValueError")
    }

    @Test func handledStepStoresNoResult() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            """
            flow: E
            steps:
              - task: Fail
                id: f
                on_error:
                  - task: Echo
                    id: handler
              - task: Echo
                id: uses_f
                inputs: {x: "${f.x}"}
            """
        )
        #expect(result.status == .failed)
        #expect(result.failure?.type == "ReferenceError")
        #expect(result.failure?.failedStep == "uses_f")
        #expect(result.failure?.message.contains("f.x") == true)
    }

    @Test func declaredOutputOfAHandledStepIsNull() async throws {
        let result = try await EngineScenario().run(
            """
            flow: E
            steps:
              - task: Fail
                id: f
                on_error:
                  - task: Echo
                    id: handler
            outputs:
              - name: f
                value: ${f}
            """
        )
        #expect(result.status == .completed)
        #expect(result.outputs == ["f": nil])
    }

    @Test(arguments: HandlerForm.allCases)
    func handlerSeesTheErrorMessageTypeAndStep(_ form: HandlerForm) async throws {
        let scenario = EngineScenario()
        let handler = """
                  - task: Capture
                    id: handler
                    inputs:
                      message: ${error.message}
                      type: ${error.type}
                      step: ${error.step}
                      text: "${error.step} failed: ${error.message}"
            """
        let result = try await scenario.run(Self.failingFlow(handler: handler, form: form, withOutputs: false))
        #expect(result.status == .completed)
        #expect(
            scenario.captures.all == [
                ["message": "bad thing", "type": "ValueError", "step": "f", "text": "f failed: bad thing"]
            ]
        )
    }

    @Test func handlerRunsAfterTheLastRetryAndSeesTheAttempts() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            """
            flow: E
            steps:
              - task: Flaky
                id: flaky
                inputs: {fail_times: 5}
                retry: {max_attempts: 3, delay_seconds: 0}
                on_error:
                  - task: Capture
                    inputs: {message: "${error.message}", attempts: "${error.attempts}"}
            """
        )
        #expect(result.status == .completed)
        #expect(scenario.calls(of: "Flaky") == 3)
        #expect(scenario.captures.all == [["message": "flaky fail 3", "attempts": 3]])
        #expect(scenario.log.eventNamesWithSteps.filter { $0.hasPrefix("step_failed") } == ["step_failed(flaky)"])
    }

    @Test(arguments: HandlerForm.allCases)
    func exitInsideHandlerTerminatesTheFlow(_ form: HandlerForm) async throws {
        let scenario = EngineScenario()
        let handler = """
                  - exit:
                      reason: handled
                      outputs: {ok: false, why: "${error.message}"}
            """
        let result = try await scenario.run(Self.failingFlow(handler: handler, form: form, withOutputs: false))
        #expect(result.status == .terminated)
        #expect(result.isSuccess)
        #expect(result.reason == "handled")
        #expect(result.outputs == ["ok": false, "why": "bad thing"])
        #expect(!scenario.log.eventNamesWithSteps.contains("step_started(after)"))
        #expect(scenario.log.eventNamesWithSteps.suffix(2) == ["flow_terminated", "flow_completed"])
    }

    @Test func errorInsideHandlerFailsTheFlowWithTheHandlersError() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            Self.failingFlow(
                handler: """
                          - task: Fail
                            id: handler
                            inputs: {msg: handler broke}
                    """,
                form: .list
            )
        )
        #expect(result.status == .failed)
        #expect(
            result.failure
                == ExecutionResult.Failure(
                    message: "handler broke", type: "ValueError", failedStep: "handler", attempts: 1))
        #expect(!scenario.log.eventNamesWithSteps.contains("step_started(after)"))
    }

    // MARK: S30

    @Test func inputResolutionErrorIsNotHandledByOnError() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            """
            flow: E
            inputs:
              - name: present
            steps:
              - task: Fail
                id: f
                inputs: {a: "${inputs.missing}"}
                retry: {max_attempts: 3, delay_seconds: 0}
                on_error:
                  - task: Ret
                    id: handler
                    inputs: {value: handled}
            """,
            inputs: ["present": 1]
        )
        #expect(result.status == .failed)
        #expect(result.failure?.type == "ReferenceError")
        #expect(result.failure?.failedStep == "f")
        #expect(result.failure?.message.contains("missing") == true)
        #expect(scenario.tasks.callOrder.isEmpty)
        #expect(scenario.log.eventNamesWithSteps == ["flow_started", "flow_failed"])
    }

    // MARK: S31

    @Test func dependsOnAStepThatHasNotRunFails() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            """
            flow: D
            steps:
              - task: Ret
                id: b
                depends_on: a
                inputs: {value: 2}
              - task: Ret
                id: a
                inputs: {value: 1}
            """
        )
        #expect(result.status == .failed)
        #expect(result.failure?.message == "Step 'b' depends on 'a' which hasn't executed")
        #expect(result.failure?.failedStep == "b")
        #expect(scenario.tasks.callOrder.isEmpty)
    }

    @Test(arguments: ["a", "[a]", "[a, c]"])
    func dependsOnStepsThatRanSucceeds(_ dependsOn: String) async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            """
            flow: D
            steps:
              - task: Ret
                id: a
                inputs: {value: 1}
              - task: Ret
                id: c
                inputs: {value: 3}
              - task: Ret
                id: b
                depends_on: \(dependsOn)
                inputs: {value: 2}
            outputs:
              - name: b
            """
        )
        #expect(result.status == .completed)
        #expect(result.outputs == ["b": 2])
    }

    @Test func dependsOnIsACheckNotAScheduler() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            """
            flow: D
            steps:
              - task: Ret
                id: a
                inputs: {value: 1}
              - task: Ret
                id: b
                depends_on: [a, c]
                inputs: {value: 2}
              - task: Ret
                id: c
                inputs: {value: 3}
            """
        )
        #expect(result.failure?.message == "Step 'b' depends on 'c' which hasn't executed")
        #expect(scenario.tasks.callOrder == ["Ret"])
    }

    // MARK: S32

    @Test func unknownStepKindIsALoadError() throws {
        let error = #expect(throws: FlowLoadError.self) {
            try loadFlow("flow: U\nsteps:\n  - foo: bar\n")
        }
        let message = try #require(error?.errors.first?.message)
        #expect(message.contains("unknown step kind"))
        #expect(message.contains("'foo'"))
        #expect(!message.contains("Did you mean"))
    }

    @Test(arguments: [
        ("tsk: Echo", "task"),
        ("subflw: child", "subflow"),
        ("exti: true", "exit"),
        ("parralel: []", "parallel"),
        ("for_eech: [1]", "for_each"),
        ("swich: x", "switch"),
    ])
    func misspelledStepKindSuggestsTheClosestKind(_ step: String, _ suggestion: String) throws {
        let error = #expect(throws: FlowLoadError.self) {
            try loadFlow("flow: U\nsteps:\n  - \(step)\n")
        }
        #expect(error?.errors.contains { $0.message.contains("Did you mean '\(suggestion)'?") } == true)
    }
}
