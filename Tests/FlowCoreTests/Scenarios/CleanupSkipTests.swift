import FlowCore
import FlowTesting
import Testing

@Suite(.timeLimit(.minutes(1))) struct CleanupSkipTests {
    @Test func onCancelSkipsStepsThatNeedResultsThatNeverExisted() async throws {
        let flow = try FlowLoader().load(
            yaml: """
                flow: Undo
                steps:
                  - task: Sleep
                    id: wait
                    inputs: {ms: 1000}
                  - task: Echo
                    id: charge
                    inputs: {transaction_id: tx-1}
                on_cancel:
                  - task: Echo
                    id: refund
                    inputs: {transaction_id: "${charge.transaction_id}"}
                  - task: Echo
                    id: notify
                    inputs: {message: cancelled}
                """
        )
        let clock = ManualClock()
        let signal = CancellationSignal()
        let log = EventCollector()
        let executor = FlowExecutor(clock: clock)
        async let result = executor.execute(flow, options: ExecutionOptions(observers: [log], cancellation: signal))
        await clock.waitForSleepers(count: 1)
        signal.cancel(reason: "stop")
        let finished = try await result
        #expect(finished.status == .cancelled)
        #expect(finished.cleanupErrors.isEmpty)
        let started = log.events.filter { $0.kind == .stepStarted }.compactMap(\.stepId)
        #expect(started == ["wait", "notify"])
    }
}
