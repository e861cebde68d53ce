import FlowCore
import FlowTesting
import Logging
import OrderedCollections
import Testing

/// `on_cancel` runs within its own time limit, `on_cancel_timeout:` or 30 s, so a cleanup step that never ends
/// cannot keep a cancelled run open; the timeout is recorded in `cleanup_errors`.
@Suite(.timeLimit(.minutes(1)))
struct CleanupTimeoutTests {
    /// Runs `yaml` on a manual clock, cancels it while its first `Slow` step sleeps, waits until `Stubborn` (in
    /// `on_cancel`) has started and the cleanup's deadline is pending, advances by `advance`, and returns the result.
    static func cancelWithStuckCleanup(
        _ yaml: String,
        scenario: EngineScenario,
        gate: UncooperativeGate,
        logger: Logger,
        advance: Duration
    ) async throws -> ExecutionResult {
        var registry = scenario.registry
        registerStubborn(in: &registry, gate: gate)
        let clock = ManualClock()
        let signal = CancellationSignal()
        let executor = FlowExecutor(registry: registry, clock: clock, logger: logger)
        let flow = try loadFlow(yaml)
        async let running = executor.execute(flow, options: scenario.options(cancellation: signal))
        await clock.waitForSleepers(count: 1)
        signal.cancel(reason: "user said stop")
        await gate.waitUntilStarted()
        await clock.waitForSleepers(count: 1)
        clock.advance(by: advance)
        return try await running
    }

    static func flow(onCancelTimeout: String?, cleanup: String = "  - task: Stubborn\n    id: stuck") -> String {
        """
        flow: C
        \(onCancelTimeout.map { "on_cancel_timeout: \($0)" } ?? "")
        steps:
          - task: Slow
            id: slow
            inputs: {ms: 5000, tag: slow}
        on_cancel:
        \(cleanup)
        """
    }

    @Test func cleanupThatNeverEndsIsStoppedAfterTheDefaultThirtySeconds() async throws {
        #expect(FlowDefinition.defaultOnCancelTimeout == .seconds(30))
        let scenario = EngineScenario()
        let gate = UncooperativeGate()
        let (logger, records) = StreamingLogHandler.logger()
        let result = try await Self.cancelWithStuckCleanup(
            Self.flow(onCancelTimeout: nil),
            scenario: scenario,
            gate: gate,
            logger: logger,
            advance: .seconds(30)
        )
        #expect(result.status == .cancelled)
        #expect(result.reason == "user said stop")
        #expect(
            result.cleanupErrors
                == ["on_cancel timed out after 30 seconds (on_cancel_timeout); the cleanup was stopped"]
        )
        let cancelled = try #require(scenario.events(.flowCancelled).first)
        #expect(cancelled.data["cleanup_errors"]?.arrayValue?.count == 1)

        await confirmation("the abandoned cleanup's end is logged, and emits nothing after flow_cancelled") { ended in
            gate.release()
            if await records.first(containing: "on_cancel stopped after its time limit") != nil { ended() }
        }
        #expect(
            scenario.log.eventNamesWithSteps == [
                "flow_started", "step_started(slow)", "step_started(stuck)", "flow_cancelled",
            ])
    }

    @Test(arguments: ["2s", "2000ms", "2"])
    func onCancelTimeoutSetsTheLimitPerFlow(_ limit: String) async throws {
        let scenario = EngineScenario()
        let gate = UncooperativeGate()
        let (logger, _) = StreamingLogHandler.logger()
        let result = try await Self.cancelWithStuckCleanup(
            Self.flow(onCancelTimeout: limit),
            scenario: scenario,
            gate: gate,
            logger: logger,
            advance: .seconds(2)
        )
        gate.release()
        #expect(result.status == .cancelled)
        #expect(
            result.cleanupErrors == ["on_cancel timed out after 2 seconds (on_cancel_timeout); the cleanup was stopped"]
        )
    }

    @Test func errorsBeforeTheLimitAreKeptAndLaterStepsDoNotRun() async throws {
        let scenario = EngineScenario()
        let gate = UncooperativeGate()
        let (logger, records) = StreamingLogHandler.logger()
        let result = try await Self.cancelWithStuckCleanup(
            Self.flow(
                onCancelTimeout: "5s",
                cleanup: """
                      - task: Fail
                        id: broken
                        inputs: {msg: cleanup boom}
                      - task: Stubborn
                        id: stuck
                      - task: Capture
                        id: never
                    """
            ),
            scenario: scenario,
            gate: gate,
            logger: logger,
            advance: .seconds(5)
        )
        #expect(
            result.cleanupErrors == [
                "broken: cleanup boom",
                "on_cancel timed out after 5 seconds (on_cancel_timeout); the cleanup was stopped",
            ]
        )
        gate.release()
        _ = await records.first(containing: "on_cancel stopped after its time limit")
        #expect(scenario.captures.all.isEmpty)
    }

    // MARK: Loading

    @Test(arguments: ["0", "-5s", "soon", "[1]"])
    func onCancelTimeoutMustBeAPositiveDuration(_ limit: String) {
        let yaml = MarkedYAML(
            """
            flow: C
            on_cancel_timeout: 1️⃣\(limit)
            steps: []
            on_cancel:
              - task: Ret
            """
        )
        expectLoadErrors(yaml, ["1️⃣": "'on_cancel_timeout' must be a"])
    }

    @Test func onCancelTimeoutIsLoaded() throws {
        let flow = try loadFlow("flow: C\non_cancel_timeout: 1.5m\nsteps: []\non_cancel:\n  - task: Ret\n")
        #expect(flow.onCancelTimeout == .seconds(90))
        #expect(flow.warnings.isEmpty)
    }

    @Test func onCancelTimeoutWithoutOnCancelIsAWarning() {
        let yaml = MarkedYAML(
            """
            flow: C
            on_cancel_timeout: 1️⃣10s
            steps: []
            """
        )
        expectLoadWarnings(yaml, ["1️⃣": "'on_cancel_timeout' has no effect without 'on_cancel' steps"])
    }
}
