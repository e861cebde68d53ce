import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// Spec §1.6, §1.7 and §12.7 S24–S26, S29: retry attempts, delays, error filters and task failures.
struct RetryScenarioTests {
    static func flakyFlow(failTimes: Int, retry: String) -> String {
        """
        flow: R
        steps:
          - task: Flaky
            id: f
            inputs: {fail_times: \(failTimes)}
            retry: \(retry)
        outputs:
          - name: attempt
            value: ${f.attempt}
        """
    }

    // MARK: S24–S26

    @Test func flakyTaskSucceedsOnThirdAttemptAfterDoublingBackoffDelays() async throws {
        let scenario = EngineScenario()
        let clock = ImmediateClock()
        let result = try await scenario.run(
            Self.flakyFlow(failTimes: 2, retry: "{max_attempts: 3, backoff: 0.01}"),
            clock: clock
        )
        #expect(result.status == .completed)
        #expect(result.outputs["attempt"] == 3)
        #expect(clock.requestedSleeps == [.milliseconds(10), .milliseconds(20)])
        #expect(scenario.calls(of: "Flaky") == 3)
    }

    @Test func stepRetryingEventIsEmittedBeforeEachRetry() async throws {
        let scenario = EngineScenario()
        _ = try await scenario.run(Self.flakyFlow(failTimes: 2, retry: "{max_attempts: 3, backoff: 0.01}"))
        let retrying = scenario.events(.stepRetrying)
        try #require(retrying.count == 2)
        #expect(retrying.map { $0.data["attempt"] } == [1, 2])
        #expect(retrying.map { $0.data["next_attempt"] } == [2, 3])
        #expect(retrying.map { $0.data["delay_seconds"]?.doubleValue } == [0.01, 0.02])
        #expect(retrying.map { $0.data["error"] } == ["flaky fail 1", "flaky fail 2"])
        #expect(retrying.allSatisfy { $0.stepId == "f" })
        #expect(
            scenario.log.eventNamesWithSteps == [
                "flow_started", "step_started(f)", "step_retrying(f)", "step_retrying(f)", "step_completed(f)",
                "flow_completed",
            ]
        )
    }

    @Test func exhaustedRetriesFailWithLastAttemptsOwnMessageAndType() async throws {
        let scenario = EngineScenario()
        let clock = ImmediateClock()
        let result = try await scenario.run(Self.flakyFlow(failTimes: 5, retry: "{max_attempts: 2}"), clock: clock)
        #expect(result.status == .failed)
        #expect(
            result.failure
                == ExecutionResult.Failure(message: "flaky fail 2", type: "FlakyError", failedStep: "f", attempts: 2)
        )
        #expect(scenario.calls(of: "Flaky") == 2)
        // The default backoff is 1 s doubling; the last failure is not followed by a sleep.
        #expect(clock.requestedSleeps == [.seconds(1)])
        let failed = scenario.events(.stepFailed)
        #expect(failed.count == 1)
        #expect(failed.first?.data["error"] == "flaky fail 2")
        #expect(failed.first?.data["error_type"] == "FlakyError")
        #expect(scenario.log.eventNamesWithSteps.last == "flow_failed")
    }

    @Test func zeroDelaySecondsRetriesWithoutSleeping() async throws {
        let scenario = EngineScenario()
        let clock = ImmediateClock()
        let result = try await scenario.run(
            Self.flakyFlow(failTimes: 1, retry: "{max_attempts: 2, delay_seconds: 0}"),
            clock: clock
        )
        #expect(result.status == .completed)
        #expect(result.outputs["attempt"] == 2)
        #expect(clock.requestedSleeps.isEmpty)
    }

    // MARK: Delay strategies

    struct DelayCase: Sendable, CustomTestStringConvertible {
        var retry: String
        var delays: [Duration]
        var testDescription: String { retry }
    }

    static let delayCases: [DelayCase] = [
        DelayCase(retry: "{max_attempts: 4, backoff: 0.5}", delays: [.milliseconds(500), .seconds(1), .seconds(2)]),
        DelayCase(retry: "{max_attempts: 3}", delays: [.seconds(1), .seconds(2)]),
        DelayCase(retry: "{max_attempts: 4, delay_seconds: 2}", delays: [.seconds(2), .seconds(2), .seconds(2)]),
        DelayCase(retry: "{max_attempts: 4, delay: 2}", delays: [.seconds(2), .seconds(2), .seconds(2)]),
        DelayCase(
            retry: "{max_attempts: 4, delay_seconds: 1, backoff_multiplier: 3}",
            delays: [.seconds(1), .seconds(3), .seconds(9)]
        ),
        DelayCase(
            retry: "{max_attempts: 4, backoff: fixed, delay_seconds: 2}",
            delays: [.seconds(2), .seconds(2), .seconds(2)]
        ),
        DelayCase(
            retry: "{max_attempts: 4, backoff: linear, delay_seconds: 2}",
            delays: [.seconds(2), .seconds(4), .seconds(6)]
        ),
        DelayCase(
            retry: "{max_attempts: 4, backoff: exponential, delay_seconds: 2}",
            delays: [.seconds(2), .seconds(4), .seconds(8)]
        ),
        DelayCase(retry: "{max_attempts: 4, backoff: exponential}", delays: [.seconds(1), .seconds(2), .seconds(4)]),
        DelayCase(
            retry: "{max_attempts: 4, backoff: exponential, delay_seconds: 1, max_delay_seconds: 3}",
            delays: [.seconds(1), .seconds(2), .seconds(3)]
        ),
        DelayCase(
            retry: "{max_attempts: 4, backoff: 1, max_delay_seconds: 1.5}",
            delays: [.seconds(1), .milliseconds(1500), .milliseconds(1500)]
        ),
    ]

    @Test(arguments: delayCases)
    func retryDelaysFollowTheConfiguredStrategy(_ delayCase: DelayCase) async throws {
        let scenario = EngineScenario()
        let clock = ImmediateClock()
        let failures = delayCase.delays.count
        let result = try await scenario.run(Self.flakyFlow(failTimes: failures, retry: delayCase.retry), clock: clock)
        #expect(result.status == .completed)
        #expect(result.outputs["attempt"] == .int(failures + 1))
        #expect(clock.requestedSleeps == delayCase.delays)
    }

    // MARK: Error type filters

    struct FilterCase: Sendable, CustomTestStringConvertible {
        var filter: String
        var retried: Bool
        var testDescription: String { filter }
    }

    static let filterCases: [FilterCase] = [
        FilterCase(filter: "retry_on: [FlakyError]", retried: true),
        FilterCase(filter: "retry_on: FlakyError", retried: true),
        FilterCase(filter: "retry_on: [OtherError]", retried: false),
        FilterCase(filter: "no_retry_on: [FlakyError]", retried: false),
        FilterCase(filter: "no_retry_on: FlakyError", retried: false),
        FilterCase(filter: "no_retry_on: [OtherError]", retried: true),
        FilterCase(filter: "retry_on: [FlakyError], no_retry_on: [FlakyError]", retried: false),
    ]

    @Test(arguments: filterCases)
    func retryOnAndNoRetryOnMatchTheErrorType(_ filterCase: FilterCase) async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            Self.flakyFlow(failTimes: 1, retry: "{max_attempts: 3, delay_seconds: 0, \(filterCase.filter)}")
        )
        if filterCase.retried {
            #expect(result.status == .completed)
            #expect(scenario.calls(of: "Flaky") == 2)
        } else {
            #expect(result.status == .failed)
            #expect(result.failure?.message == "flaky fail 1")
            #expect(result.failure?.attempts == 1)
            #expect(scenario.calls(of: "Flaky") == 1)
            #expect(scenario.events(.stepRetrying).isEmpty)
        }
    }

    @Test func inputsAreResolvedOnceAndEveryAttemptGetsTheSame() async throws {
        let scenario = EngineScenario()
        var registry = scenario.registry
        let attempts = CapturedInputs()
        registry.register("FailTwice") { inputs, context in
            attempts.append(["attempt": .int(context.attempt), "inputs": inputs])
            if context.attempt < 3 { throw TaskError("not yet", type: "Transient") }
            return inputs
        }
        let flow = try loadFlow(
            """
            flow: R
            inputs:
              - name: n
            steps:
              - task: FailTwice
                id: t
                inputs: {value: "n=${inputs.n}"}
                retry: {max_attempts: 3, delay_seconds: 0}
            outputs:
              - name: value
                value: ${t.value}
            """
        )
        let executor = FlowExecutor(registry: registry, clock: ImmediateClock())
        let result = try await executor.execute(flow, inputs: ["n": 4])
        #expect(result.outputs["value"] == "n=4")
        #expect(attempts.all.map { $0["attempt"] } == [1, 2, 3])
        #expect(attempts.all.count == 3)
        #expect(attempts.all.allSatisfy { $0["inputs"] == ["value": "n=4"] })
    }

    // MARK: Load-time checks

    @Test(arguments: ["{max_attempts: 0}", "{max_attempts: -1}", "{max_attempts: two}"])
    func maxAttemptsBelowOneIsALoadError(_ retry: String) throws {
        let error = #expect(throws: FlowLoadError.self) {
            try loadFlow(Self.flakyFlow(failTimes: 0, retry: retry))
        }
        #expect(error?.errors.contains { $0.message.contains("max_attempts") } == true)
    }

    @Test func unknownBackoffStrategyIsALoadErrorWithASuggestion() throws {
        let error = #expect(throws: FlowLoadError.self) {
            try loadFlow(Self.flakyFlow(failTimes: 0, retry: "{max_attempts: 2, backoff: exponentail}"))
        }
        #expect(error?.errors.contains { $0.message.contains("Did you mean 'exponential'?") } == true)
    }

    // MARK: S29 task failures

    struct TaskFailureCase: Sendable, CustomTestStringConvertible {
        var step: String
        var message: String
        var type: String
        var testDescription: String { step }
    }

    static let taskFailures: [TaskFailureCase] = [
        TaskFailureCase(step: "task: Nope", message: "Task 'Nope' not found in registry", type: "TaskNotFoundError"),
        TaskFailureCase(
            step: "task: Stub",
            message: "Task 'Stub' is not implemented yet. Please implement this task before running the flow.",
            type: "NotImplementedTaskError"
        ),
        TaskFailureCase(
            step: "task: SyncAdd\n    inputs: {a: 1}",
            message: "SyncAdd needs integer inputs 'a' and 'b'",
            type: "TypeError"
        ),
        TaskFailureCase(step: "task: Fail\n    inputs: {msg: bad thing}", message: "bad thing", type: "ValueError"),
        TaskFailureCase(step: "task: Fail", message: "boom", type: "ValueError"),
    ]

    @Test(arguments: taskFailures)
    func failingTaskReportsItsOwnMessageTypeStepAndAttempts(_ failure: TaskFailureCase) async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            """
            flow: T
            steps:
              - id: s
                \(failure.step)
            """
        )
        #expect(result.status == .failed)
        #expect(
            result.failure
                == ExecutionResult.Failure(message: failure.message, type: failure.type, failedStep: "s", attempts: 1))
        #expect(result.outputs.isEmpty)
        #expect(scenario.events(.stepFailed).first?.data["error_type"] == .string(failure.type))
    }

    @Test func failedStepWithoutIdIsNamedByItsTask() async throws {
        let result = try await EngineScenario().run("flow: T\nsteps:\n  - task: Fail\n")
        #expect(result.failure?.failedStep == "Fail")
    }

    @Test func synchronousTaskWithBothInputsSucceeds() async throws {
        let result = try await EngineScenario().run(
            """
            flow: T
            steps:
              - task: SyncAdd
                id: add
                inputs: {a: 1, b: 2}
            outputs:
              - name: add
            """
        )
        #expect(result.status == .completed)
        #expect(result.outputs["add"] == ["sum": 3])
    }
}
