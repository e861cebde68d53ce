import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// Spec §1.16 and §12.10 S43, S44 (REC): cancellation by signal or by cancelling the Swift task, and `on_cancel`.
@Suite(.timeLimit(.minutes(1)))
struct CancellationScenarioTests {
    /// S43: two slow steps and a cleanup task.
    static let twoSlowSteps = """
        flow: C
        steps:
          - task: Slow
            id: a
            inputs: {ms: 300, tag: a}
          - task: Slow
            id: b
            inputs: {ms: 300, tag: b}
        outputs:
          - name: b
        on_cancel:
          - task: Ret
            id: cleanup
            inputs: {value: cleaned}
        """

    /// Starts `yaml` on a manual clock, waits until `sleepers` sleeps are pending, cancels with `reason`,
    /// and returns the result.
    static func cancelWhileSleeping(
        _ yaml: String,
        scenario: EngineScenario,
        sleepers: Int = 1,
        reason: String = "user said stop"
    ) async throws -> ExecutionResult {
        let clock = ManualClock()
        let signal = CancellationSignal()
        let flow = try loadFlow(yaml)
        let executor = try scenario.executor(clock: clock)
        async let running = executor.execute(flow, options: scenario.options(cancellation: signal))
        await clock.waitForSleepers(count: sleepers)
        signal.cancel(reason: reason)
        return try await running
    }

    // MARK: S43

    @Test func cancelSignalStopsTheFlowWithItsReason() async throws {
        let scenario = EngineScenario()
        let result = try await Self.cancelWhileSleeping(Self.twoSlowSteps, scenario: scenario)
        #expect(result.status == .cancelled)
        #expect(!result.isSuccess)
        #expect(result.reason == "user said stop")
        #expect(result.outputs.isEmpty)
        #expect(result.failure == nil)
        #expect(scenario.tasks.slowMarks.contains("start:a"))
        #expect(!scenario.tasks.slowMarks.contains("start:b"))
        #expect(scenario.calls(of: "Slow") == 1)
    }

    @Test func onCancelRunsExactlyOnceWithoutCleanupErrors() async throws {
        let scenario = EngineScenario()
        let result = try await Self.cancelWhileSleeping(Self.twoSlowSteps, scenario: scenario)
        #expect(scenario.calls(of: "Ret") == 1)
        #expect(result.cleanupErrors.isEmpty)
        #expect(result.json["cleanup_errors"] == .null)
        #expect(result.json["cancelled"] == true)
        #expect(result.json["success"] == false)
    }

    @Test func cancelEventsEndWithFlowCancelled() async throws {
        let scenario = EngineScenario()
        _ = try await Self.cancelWhileSleeping(Self.twoSlowSteps, scenario: scenario)
        #expect(
            scenario.log.eventNamesWithSteps == [
                "flow_started", "step_started(a)", "step_started(cleanup)", "step_completed(cleanup)",
                "flow_cancelled",
            ]
        )
        let cancelled = try #require(scenario.events(.flowCancelled).first)
        #expect(cancelled.data["flow"] == "C")
        #expect(cancelled.data["reason"] == "user said stop")
        #expect(cancelled.data["cleanup_errors"] == .null)
        #expect(cancelled.data["duration_ms"]?.doubleValue != nil)
    }

    @Test func onCancelSeesTheResultsProducedSoFar() async throws {
        let scenario = EngineScenario()
        let result = try await Self.cancelWhileSleeping(
            """
            flow: C
            inputs:
              - name: who
                default: ada
            steps:
              - task: Ret
                id: first
                inputs: {value: {n: 1}}
              - task: Slow
                id: slow
                inputs: {ms: 300, tag: slow}
            on_cancel:
              - task: Capture
                inputs: {n: "${first.n}", who: "${inputs.who}"}
            """,
            scenario: scenario
        )
        #expect(result.status == .cancelled)
        #expect(scenario.captures.all == [["n": 1, "who": "ada"]])
    }

    @Test func failingOnCancelStepIsCollectedAndLaterStepsStillRun() async throws {
        let scenario = EngineScenario()
        let result = try await Self.cancelWhileSleeping(
            """
            flow: C
            steps:
              - task: Slow
                id: slow
                inputs: {ms: 300, tag: slow}
            on_cancel:
              - task: Fail
                id: broken
                inputs: {msg: cleanup boom}
              - task: Ret
                id: later
                inputs: {value: still ran}
            """,
            scenario: scenario
        )
        #expect(result.status == .cancelled)
        #expect(result.cleanupErrors.count == 1)
        #expect(result.cleanupErrors.first?.contains("cleanup boom") == true)
        #expect(scenario.tasks.callOrder.suffix(2) == ["Fail", "Ret"])
        #expect(scenario.events(.flowCancelled).first?.data["cleanup_errors"]?.arrayValue?.count == 1)
    }

    @Test func onCancelStepWithAnUnresolvableReferenceDoesNotStopLaterSteps() async throws {
        let scenario = EngineScenario()
        let result = try await Self.cancelWhileSleeping(
            """
            flow: C
            steps:
              - task: Slow
                id: slow
                inputs: {ms: 300, tag: slow}
            on_cancel:
              - task: Capture
                inputs: {never: "${slow.tag}"}
              - task: Ret
                id: later
                inputs: {value: still ran}
            """,
            scenario: scenario
        )
        #expect(result.status == .cancelled)
        #expect(scenario.captures.all.isEmpty)
        #expect(scenario.calls(of: "Ret") == 1)
    }

    @Test func cancellingDuringARetryDelayStopsRetrying() async throws {
        let scenario = EngineScenario()
        let result = try await Self.cancelWhileSleeping(
            """
            flow: C
            steps:
              - task: Flaky
                id: f
                inputs: {fail_times: 3}
                retry: {max_attempts: 4, delay_seconds: 5}
            """,
            scenario: scenario
        )
        #expect(result.status == .cancelled)
        #expect(result.reason == "user said stop")
        #expect(scenario.calls(of: "Flaky") == 1)
        #expect(scenario.events(.stepFailed).isEmpty)
    }

    @Test func cancellingDuringASubflowCancelsTheParent() async throws {
        let scenario = EngineScenario()
        let result = try await Self.cancelWhileSleeping(
            """
            flow: C
            steps:
              - subflow: slowchild
                id: s
                inputs: {tag: inner}
              - task: Ret
                inputs: {value: after}
            """,
            scenario: scenario
        )
        #expect(result.status == .cancelled)
        #expect(result.reason == "user said stop")
        #expect(scenario.tasks.slowMarks == ["start:inner"])
        #expect(scenario.calls(of: "Ret") == 0)
        #expect(scenario.log.eventNamesWithSteps.last == "flow_cancelled")
    }

    @Test func cancellingDuringParallelBranchesStopsAllOfThem() async throws {
        let scenario = EngineScenario()
        let result = try await Self.cancelWhileSleeping(
            """
            flow: C
            steps:
              - parallel:
                  - task: Slow
                    inputs: {ms: 300, tag: one}
                  - task: Slow
                    inputs: {ms: 500, tag: two}
              - task: Ret
                inputs: {value: after}
            """,
            scenario: scenario,
            sleepers: 2
        )
        #expect(result.status == .cancelled)
        #expect(Set(scenario.tasks.slowMarks) == ["start:one", "start:two"])
        #expect(scenario.calls(of: "Ret") == 0)
    }

    @Test func onlyTheFirstReasonIsKept() async throws {
        let scenario = EngineScenario()
        let clock = ManualClock()
        let signal = CancellationSignal()
        let flow = try loadFlow(Self.twoSlowSteps)
        let executor = try scenario.executor(clock: clock)
        async let running = executor.execute(flow, options: scenario.options(cancellation: signal))
        await clock.waitForSleepers(count: 1)
        signal.cancel(reason: "first")
        signal.cancel(reason: "second")
        let result = try await running
        #expect(result.reason == "first")
        #expect(signal.reason == "first")
    }

    // MARK: S44

    @Test(arguments: [nil, "stopped early"] as [String?])
    func signalCancelledBeforeStartRunsNothing(_ reason: String?) async throws {
        let scenario = EngineScenario()
        let signal = CancellationSignal()
        if let reason { signal.cancel(reason: reason) } else { signal.cancel() }
        let result = try await scenario.run(
            """
            flow: C
            steps:
              - task: Ret
                inputs: {value: 1}
              - task: Slow
                inputs: {ms: 300, tag: a}
            """,
            cancellation: signal
        )
        #expect(result.status == .cancelled)
        #expect(result.reason == (reason ?? "Execution cancelled"))
        #expect(result.cleanupErrors.isEmpty)
        #expect(scenario.tasks.callOrder.isEmpty)
        #expect(scenario.log.eventNamesWithSteps == ["flow_started", "flow_cancelled"])
    }

    @Test func signalCancelledBeforeStartStillRunsOnCancel() async throws {
        let scenario = EngineScenario()
        let signal = CancellationSignal()
        signal.cancel(reason: "never mind")
        let result = try await scenario.run(Self.twoSlowSteps, cancellation: signal)
        #expect(result.status == .cancelled)
        #expect(result.reason == "never mind")
        #expect(scenario.tasks.callOrder == ["Ret"])
    }

    @Test func signalCancelledAfterTheFlowFinishedChangesNothing() async throws {
        let scenario = EngineScenario()
        let signal = CancellationSignal()
        let result = try await scenario.run(
            "flow: C\nsteps:\n  - task: Ret\n    id: r\n    inputs: {value: 1}\noutputs:\n  - name: r\n",
            cancellation: signal)
        signal.cancel(reason: "too late")
        #expect(result.status == .completed)
        #expect(result.outputs == ["r": 1])
    }

    // MARK: Swift task cancellation

    @Test func cancellingTheSwiftTaskCancelsTheExecution() async throws {
        let scenario = EngineScenario()
        let clock = ManualClock()
        let flow = try loadFlow(Self.twoSlowSteps)
        let executor = try scenario.executor(clock: clock)
        let options = scenario.options()
        let task = Task { try await executor.execute(flow, options: options) }
        await clock.waitForSleepers(count: 1)
        task.cancel()
        let result = try await task.value
        #expect(result.status == .cancelled)
        #expect(result.reason == "Execution cancelled")
        #expect(!scenario.tasks.slowMarks.contains("start:b"))
        #expect(scenario.calls(of: "Ret") == 1)
        #expect(scenario.log.eventNamesWithSteps.last == "flow_cancelled")
    }

    @Test func cancellingTheSwiftTaskWithASignalAttachedKeepsTheDefaultReason() async throws {
        let scenario = EngineScenario()
        let clock = ManualClock()
        let flow = try loadFlow(Self.twoSlowSteps)
        let executor = try scenario.executor(clock: clock)
        let options = scenario.options(cancellation: CancellationSignal())
        let task = Task { try await executor.execute(flow, options: options) }
        await clock.waitForSleepers(count: 1)
        task.cancel()
        let result = try await task.value
        #expect(result.status == .cancelled)
        #expect(result.reason == "Execution cancelled")
        #expect(scenario.calls(of: "Ret") == 1)
    }
}
