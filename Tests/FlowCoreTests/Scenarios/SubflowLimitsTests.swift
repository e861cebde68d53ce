import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// A subflow's own `timeout:` and `on_cancel:` apply when it runs as a subflow (fixtures `timedchild`, a 1 s
/// timeout around a 5 s step; `quickchild`, a 2 s timeout around 0.5 s; `cleanchild`, no timeout, whose
/// `on_cancel` captures and then fails).
@Suite(.timeLimit(.minutes(1)))
struct SubflowLimitsTests {
    /// Starts `yaml`, waits for `sleepers` pending sleeps, then advances the clock by `advance` or, when `cancel`
    /// is given, cancels the run with that reason.
    static func run(
        _ yaml: String,
        scenario: EngineScenario,
        sleepers: Int,
        advance: Duration? = nil,
        cancel: String? = nil
    ) async throws -> ExecutionResult {
        let clock = ManualClock()
        let signal = CancellationSignal()
        let flow = try loadFlow(yaml)
        let executor = try scenario.executor(clock: clock)
        async let running = executor.execute(flow, options: scenario.options(cancellation: signal))
        await clock.waitForSleepers(count: sleepers)
        if let advance { clock.advance(by: advance) }
        if let cancel { signal.cancel(reason: cancel) }
        return try await running
    }

    @Test func subflowsOwnTimeoutFailsTheStepWithTimeoutErrorAfterItsOnCancel() async throws {
        let scenario = EngineScenario()
        let result = try await Self.run(
            """
            flow: P
            steps:
              - subflow: timedchild
                id: child
              - task: Ret
                id: after
                inputs: {value: 1}
            """,
            scenario: scenario,
            sleepers: 2,
            advance: .seconds(1)
        )
        #expect(result.status == .failed)
        let failure = try #require(result.failure)
        #expect(failure.type == "TimeoutError")
        #expect(failure.message == "Subflow 'timedchild' timed out after 1 seconds")
        #expect(failure.failedStep == "child")
        #expect(scenario.captures.all == [["cleanup": "child"]])
        #expect(scenario.tasks.slowMarks == ["start:child"])
        #expect(scenario.calls(of: "Ret") == 0)
        #expect(scenario.events(.subflowFailed).first?.data["error_type"] == "TimeoutError")
    }

    @Test func subflowTimeoutIsHandledByOnError() async throws {
        let scenario = EngineScenario()
        let result = try await Self.run(
            """
            flow: P
            steps:
              - subflow: timedchild
                id: child
                on_error:
                  - task: Capture
                    inputs: {handled: "${error.type}"}
            outputs:
              - name: child
            """,
            scenario: scenario,
            sleepers: 2,
            advance: .seconds(1)
        )
        #expect(result.status == .completed)
        #expect(result.outputs == ["child": .null])
        #expect(scenario.captures.all == [["cleanup": "child"], ["handled": "TimeoutError"]])
    }

    @Test func subflowFinishingWithinItsTimeoutSucceedsWithoutItsOnCancel() async throws {
        let scenario = EngineScenario()
        let result = try await Self.run(
            "flow: P\nsteps:\n  - subflow: quickchild\n    id: child\noutputs:\n  - name: child\n",
            scenario: scenario,
            sleepers: 2,
            advance: .milliseconds(500)
        )
        #expect(result.status == .completed)
        #expect(result.outputs == ["child": ["tag": "quick"]])
        #expect(scenario.captures.all.isEmpty)
    }

    @Test func cancellingTheRunRunsTheSubflowsOnCancelFirstAndReportsItsErrors() async throws {
        let scenario = EngineScenario()
        let result = try await Self.run(
            """
            flow: P
            steps:
              - subflow: cleanchild
                id: child
            on_cancel:
              - task: Capture
                inputs: {cleanup: parent}
            """,
            scenario: scenario,
            sleepers: 1,
            cancel: "user said stop"
        )
        #expect(result.status == .cancelled)
        #expect(result.reason == "user said stop")
        #expect(scenario.captures.all == [["cleanup": "child"], ["cleanup": "parent"]])
        #expect(result.cleanupErrors == ["subflow 'cleanchild': undo: child cleanup failed"])
        let childCleanup = scenario.events(.stepStarted).filter { $0.subflowPath == ["cleanchild"] }.map(\.stepId)
        #expect(childCleanup == ["s", "Capture", "undo"])
        #expect(scenario.log.eventNamesWithSteps.last == "flow_cancelled")
    }
}
