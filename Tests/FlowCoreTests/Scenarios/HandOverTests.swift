import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// `CancellationSignal.handOver(reason:)`: the run stops as on cancellation, but neither its `on_cancel` nor a
/// running subflow's runs, since the run goes on at another instance and cleanup would undo its work there.
@Suite(.timeLimit(.minutes(1)))
struct HandOverTests {
    static func handOverWhileSleeping(_ yaml: String, scenario: EngineScenario) async throws -> ExecutionResult {
        let clock = ManualClock()
        let signal = CancellationSignal()
        let flow = try loadFlow(yaml)
        let executor = try scenario.executor(clock: clock)
        async let running = executor.execute(flow, options: scenario.options(cancellation: signal))
        await clock.waitForSleepers(count: 1)
        signal.handOver(reason: "another instance holds this run")
        #expect(signal.isHandedOver)
        #expect(signal.isCancelled)
        return try await running
    }

    @Test func handedOverRunStopsWithoutItsOnCancelOrASubflowsOnCancel() async throws {
        let scenario = EngineScenario()
        let result = try await Self.handOverWhileSleeping(
            """
            flow: P
            steps:
              - subflow: cleanchild
                id: child
              - task: Ret
                inputs: {value: after}
            on_cancel:
              - task: Capture
                inputs: {cleanup: parent}
            """,
            scenario: scenario
        )
        #expect(result.status == .cancelled)
        #expect(result.reason == "another instance holds this run")
        #expect(result.cleanupErrors.isEmpty)
        #expect(scenario.captures.all.isEmpty, "neither on_cancel ran")
        #expect(scenario.calls(of: "Ret") == 0)
        let cancelled = try #require(scenario.events(.flowCancelled).last)
        #expect(cancelled.data["handed_over"] == true)
    }

    @Test func cancelAfterAHandOverKeepsTheHandOver() {
        let signal = CancellationSignal()
        signal.handOver(reason: "moved")
        signal.cancel(reason: "user")
        #expect(signal.reason == "moved")
        #expect(signal.isHandedOver)
    }

    @Test func plainCancellationIsNotAHandOver() {
        let signal = CancellationSignal()
        signal.cancel(reason: "user")
        #expect(!signal.isHandedOver)
    }
}
