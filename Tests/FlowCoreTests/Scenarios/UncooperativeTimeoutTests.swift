import FlowCore
import FlowTesting
import Logging
import OrderedCollections
import Testing

/// A step `timeout:` holds even when the task ignores cancellation: the step fails at its deadline with the same
/// `TimeoutError` a cooperative task gets, and what the task returns later is logged and dropped.
@Suite(.timeLimit(.minutes(1)))
struct UncooperativeTimeoutTests {
    /// An executor whose registry has `Stubborn` (waits on `gate`, deaf to cancellation), on `clock`, logging to `logger`.
    static func executor(
        _ scenario: EngineScenario,
        gate: UncooperativeGate,
        clock: ManualClock,
        logger: Logger
    ) -> FlowExecutor {
        var registry = scenario.registry
        registerStubborn(in: &registry, gate: gate)
        return FlowExecutor(registry: registry, clock: clock, logger: logger)
    }

    @Test func stepTimeoutEndsTheStepWhileTheTaskIgnoresCancellation() async throws {
        let scenario = EngineScenario()
        let gate = UncooperativeGate()
        let clock = ManualClock()
        let (logger, _) = StreamingLogHandler.logger()
        let executor = Self.executor(scenario, gate: gate, clock: clock, logger: logger)
        let flow = try loadFlow(
            """
            flow: T
            steps:
              - task: Stubborn
                id: stuck
                timeout: 2s
            """
        )
        async let running = executor.execute(flow, options: scenario.options())
        await gate.waitUntilStarted()
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(2))
        let result = try await running
        defer { gate.release() }
        #expect(result.status == .failed)
        let failure = try #require(result.failure)
        #expect(failure.type == "TimeoutError")
        #expect(failure.message == "Task 'Stubborn' timed out after 2 seconds")
        #expect(failure.failedStep == "stuck")
        #expect(failure.attempts == 1)
        #expect(scenario.events(.stepFailed).first?.data["error_type"] == "TimeoutError")
    }

    @Test func lateResultIsDiscardedAndLogged() async throws {
        let scenario = EngineScenario()
        let gate = UncooperativeGate()
        let clock = ManualClock()
        let (logger, records) = StreamingLogHandler.logger()
        let executor = Self.executor(scenario, gate: gate, clock: clock, logger: logger)
        let flow = try loadFlow(
            """
            flow: T
            steps:
              - task: Stubborn
                id: stuck
                timeout: 1s
                on_error:
                  - task: Capture
                    inputs: {type: "${error.type}"}
            outputs:
              - name: stuck
            """
        )
        async let running = executor.execute(flow, options: scenario.options())
        await gate.waitUntilStarted()
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        let result = try await running
        #expect(result.status == .completed)
        #expect(result.outputs == ["stuck": .null])
        #expect(scenario.captures.all == [["type": "TimeoutError"]])

        try await confirmation("the late result is logged once") { logged in
            gate.release()
            let record = try #require(await records.first(containing: "after its step timed out"))
            logged()
            #expect(record.level == .warning)
            #expect(record.message.contains("result was discarded"))
            #expect(record.metadata["step_id"] == "stuck")
            #expect(record.metadata["task"] == "Stubborn")
        }
        #expect(scenario.log.eventNamesWithSteps.last == "flow_completed")
    }

    @Test func timedOutUncooperativeAttemptIsRetried() async throws {
        let scenario = EngineScenario()
        let gate = UncooperativeGate()
        let clock = ManualClock()
        var registry = scenario.registry
        registry.register("StubbornFirst") { _, context in
            if context.attempt == 1 { await gate.wait() }
            return ["attempt": .int(context.attempt)]
        }
        let flow = try loadFlow(
            """
            flow: T
            steps:
              - task: StubbornFirst
                id: s
                timeout: 1s
                retry: {max_attempts: 2, delay_seconds: 0}
            outputs:
              - name: s
            """
        )
        let executor = FlowExecutor(registry: registry, clock: clock)
        async let running = executor.execute(flow, options: scenario.options())
        await gate.waitUntilStarted()
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        let result = try await running
        gate.release()
        #expect(result.status == .completed)
        #expect(result.outputs == ["s": ["attempt": 2]])
        #expect(scenario.events(.stepRetrying).first?.data["error_type"] == "TimeoutError")
    }

    @Test func cancellingTheRunStopsWaitingForATimedStepThatIgnoresCancellation() async throws {
        let scenario = EngineScenario()
        let gate = UncooperativeGate()
        let clock = ManualClock()
        let signal = CancellationSignal()
        let (logger, _) = StreamingLogHandler.logger()
        let executor = Self.executor(scenario, gate: gate, clock: clock, logger: logger)
        let flow = try loadFlow(
            """
            flow: T
            steps:
              - task: Stubborn
                id: stuck
                timeout: 1h
            """
        )
        async let running = executor.execute(flow, options: scenario.options(cancellation: signal))
        await gate.waitUntilStarted()
        signal.cancel(reason: "stop")
        let result = try await running
        gate.release()
        #expect(result.status == .cancelled)
        #expect(result.reason == "stop")
    }
}
