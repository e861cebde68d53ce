import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// Task-step `timeout:` (one attempt's limit, a retryable `TimeoutError`) and flow-level `timeout:`
/// (cancels the execution and runs `on_cancel`), driven by a manual clock.
@Suite(.timeLimit(.minutes(1)))
struct TimeoutTests {
    /// Starts `flow`, waits for `sleepers` pending sleeps, advances the clock by `advance`, and returns the result.
    static func run(
        _ yaml: String,
        scenario: EngineScenario,
        sleepers: Int,
        advance: Duration
    ) async throws -> ExecutionResult {
        let clock = ManualClock()
        let flow = try loadFlow(yaml)
        let executor = try scenario.executor(clock: clock)
        async let running = executor.execute(flow, options: scenario.options())
        await clock.waitForSleepers(count: sleepers)
        clock.advance(by: advance)
        return try await running
    }

    static func slowStep(ms: Int, timeout: String, retry: String? = nil) -> String {
        """
        flow: T
        steps:
          - task: Slow
            id: slow
            timeout: \(timeout)
            inputs: {ms: \(ms), tag: s}
            \(retry.map { "retry: \($0)" } ?? "")
        outputs:
          - name: slow
        """
    }

    // MARK: Task-step timeout

    @Test(arguments: ["1s", "1000ms", "1"])
    func taskExceedingItsTimeoutFailsWithTimeoutError(_ timeout: String) async throws {
        let scenario = EngineScenario()
        let result = try await Self.run(
            Self.slowStep(ms: 5000, timeout: timeout),
            scenario: scenario,
            sleepers: 2,
            advance: .seconds(1)
        )
        #expect(result.status == .failed)
        let failure = try #require(result.failure)
        #expect(failure.type == "TimeoutError")
        #expect(failure.message.contains("timed out"))
        #expect(failure.failedStep == "slow")
        #expect(failure.attempts == 1)
        #expect(scenario.tasks.slowMarks == ["start:s"])
        #expect(scenario.events(.stepFailed).first?.data["error_type"] == "TimeoutError")
    }

    @Test func taskFinishingWithinItsTimeoutSucceeds() async throws {
        let scenario = EngineScenario()
        let result = try await Self.run(
            Self.slowStep(ms: 500, timeout: "1s"),
            scenario: scenario,
            sleepers: 2,
            advance: .milliseconds(500)
        )
        #expect(result.status == .completed)
        #expect(result.outputs == ["slow": ["tag": "s"]])
        #expect(scenario.tasks.slowMarks == ["start:s", "end:s"])
    }

    @Test func timedOutAttemptIsRetriedAndCanSucceed() async throws {
        let scenario = EngineScenario()
        var registry = scenario.registry
        // Slow on the first attempt only.
        registry.register("SlowFirst") { _, context in
            if context.attempt == 1 { try await context.clock.sleep(for: .seconds(5)) }
            return ["attempt": .int(context.attempt)]
        }
        let clock = ManualClock()
        let flow = try loadFlow(
            """
            flow: T
            steps:
              - task: SlowFirst
                id: s
                timeout: 1s
                retry: {max_attempts: 2, delay_seconds: 0}
            outputs:
              - name: s
            """
        )
        let executor = FlowExecutor(registry: registry, clock: clock)
        async let running = executor.execute(flow, options: scenario.options())
        await clock.waitForSleepers(count: 2)
        clock.advance(by: .seconds(1))
        let result = try await running
        #expect(result.status == .completed)
        #expect(result.outputs == ["s": ["attempt": 2]])
        let retrying = scenario.events(.stepRetrying)
        #expect(retrying.count == 1)
        #expect(retrying.first?.data["error_type"] == "TimeoutError")
    }

    @Test func everyAttemptTimingOutFailsAfterAllAttempts() async throws {
        let scenario = EngineScenario()
        let clock = ManualClock()
        let flow = try loadFlow(Self.slowStep(ms: 5000, timeout: "1s", retry: "{max_attempts: 2, delay_seconds: 0}"))
        let executor = try scenario.executor(clock: clock)
        async let running = executor.execute(flow, options: scenario.options())
        await clock.waitForSleepers(count: 2)
        clock.advance(by: .seconds(1))
        await clock.waitForSleepers(count: 2)
        clock.advance(by: .seconds(1))
        let result = try await running
        #expect(result.status == .failed)
        #expect(result.failure?.type == "TimeoutError")
        #expect(result.failure?.attempts == 2)
        #expect(scenario.tasks.slowMarks == ["start:s", "start:s"])
    }

    @Test func timeoutErrorIsHandledByOnError() async throws {
        let scenario = EngineScenario()
        let result = try await Self.run(
            """
            flow: T
            steps:
              - task: Slow
                id: slow
                timeout: 1s
                inputs: {ms: 5000, tag: s}
                on_error:
                  - task: Capture
                    inputs: {type: "${error.type}"}
            """,
            scenario: scenario,
            sleepers: 2,
            advance: .seconds(1)
        )
        #expect(result.status == .completed)
        #expect(scenario.captures.all == [["type": "TimeoutError"]])
    }

    @Test(arguments: ["0", "-1s", "soon"])
    func nonPositiveOrUnparsableTimeoutIsALoadError(_ timeout: String) throws {
        #expect(throws: FlowLoadError.self) {
            try loadFlow(Self.slowStep(ms: 1, timeout: timeout))
        }
    }

    // MARK: Flow-level timeout

    static let flowWithTimeout = """
        flow: T
        timeout: 2s
        steps:
          - task: Slow
            id: slow
            inputs: {ms: 5000, tag: s}
          - task: Ret
            id: after
            inputs: {value: 1}
        on_cancel:
          - task: Capture
            id: cleanup
            inputs: {done: true}
        """

    @Test func flowExceedingItsTimeoutIsCancelled() async throws {
        let scenario = EngineScenario()
        let result = try await Self.run(Self.flowWithTimeout, scenario: scenario, sleepers: 2, advance: .seconds(2))
        #expect(result.status == .cancelled)
        let reason = try #require(result.reason)
        #expect(reason.contains("timed out"))
        #expect(result.outputs.isEmpty)
        #expect(scenario.captures.all == [["done": true]])
        #expect(scenario.calls(of: "Ret") == 0)
        #expect(scenario.tasks.slowMarks == ["start:s"])
        #expect(scenario.log.eventNamesWithSteps.last == "flow_cancelled")
        #expect(scenario.events(.flowCancelled).first?.data["reason"] == .string(reason))
    }

    @Test func flowFinishingWithinItsTimeoutCompletes() async throws {
        let scenario = EngineScenario()
        let result = try await Self.run(
            """
            flow: T
            timeout: 2s
            steps:
              - task: Slow
                id: slow
                inputs: {ms: 500, tag: s}
            outputs:
              - name: slow
            on_cancel:
              - task: Capture
                inputs: {done: true}
            """,
            scenario: scenario,
            sleepers: 2,
            advance: .milliseconds(500)
        )
        #expect(result.status == .completed)
        #expect(result.outputs == ["slow": ["tag": "s"]])
        #expect(scenario.captures.all.isEmpty)
    }
}
