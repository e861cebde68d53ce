import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// Spec §12.6, scenarios S21–S23: concurrent branches, first failure cancels siblings, exit in a branch.
///
/// `Slow` sleeps on the harness's manual clock, so overlap is proven by how many sleepers wait at once and
/// cancellation by sleepers that vanish without the clock ever reaching their deadline.
@Suite("Scenarios S21–S23: parallel", .timeLimit(.minutes(1)))
struct ParallelScenarioTests {
    // MARK: S21 branches run at the same time

    static let s21 = """
        flow: P
        steps:
          - parallel:
              - task: Slow
                id: a
                inputs: {ms: 50, tag: A}
              - task: Slow
                id: b
                inputs: {ms: 20, tag: B}
              - if: true
                then:
                  - task: Slow
                    id: c
                    inputs: {ms: 10, tag: C}
        outputs:
          - name: tags
            value: "${a.tag}${b.tag}${c.tag}"
        """

    @Test func s21BranchesRunConcurrentlyAndAllOutputsAreVisibleAfterwards() async throws {
        let harness = ScenarioHarness()
        let flow = try loadFlow(Self.s21)
        async let running = harness.execute(flow)

        await harness.clock.waitForSleepers(count: 3)
        // All three branches are asleep at once: every start precedes every end.
        #expect(Set(harness.fixtures.slowMarks) == ["start:A", "start:B", "start:C"])
        harness.clock.advance(by: .milliseconds(50))

        let result = try await running
        #expect(result.status == .completed)
        #expect(result.outputs == ["tags": "ABC"])
        let marks = harness.fixtures.slowMarks
        #expect(marks.count == 6)
        #expect(marks.prefix(3).allSatisfy { $0.hasPrefix("start:") })
        #expect(marks.suffix(3).allSatisfy { $0.hasPrefix("end:") })
        // The slowest branch alone sets the elapsed time: 50 ms, not 50 + 20 + 10.
        #expect(harness.clock.now.offset == .milliseconds(50))
    }

    // MARK: S22 a failing branch fails the flow and cancels its siblings

    @Test func s22FailingBranchFailsTheFlowWithTheTasksOwnError() async throws {
        let yaml = """
            flow: P
            steps:
              - parallel:
                  - task: Fail
                    id: f
                    inputs: {msg: boom}
                  - task: Slow
                    id: s
                    inputs: {ms: 100, tag: S}
              - task: Ret
                id: after
                inputs: {value: 1}
            """
        let harness = ScenarioHarness()
        // Nobody advances the clock: the run can only return if the sleeping sibling is cancelled.
        let result = try await harness.run(yaml)
        #expect(result.status == .failed)
        let failure = try #require(result.failure)
        #expect(failure.message == "boom")
        #expect(failure.type == "ValueError")
        #expect(failure.failedStep == "f")
        #expect(failure.attempts == 1)
        #expect(!harness.fixtures.slowMarks.contains("end:S"))
        #expect(!harness.fixtures.callOrder.contains("Ret"))
        #expect(harness.clock.sleeperCount == 0)
        #expect(harness.log.eventNamesWithSteps.last == "flow_failed")
    }

    @Test func firstFailureCancelsARunningSiblingAndWaitsForIt() async throws {
        let yaml = """
            flow: P
            steps:
              - parallel:
                  - if: true
                    then:
                      - task: Slow
                        id: warmup
                        inputs: {ms: 10, tag: warmup}
                      - task: Fail
                        id: f
                        inputs: {msg: broke}
                  - task: Slow
                    id: long
                    inputs: {ms: 10000, tag: long}
            """
        let harness = ScenarioHarness()
        let flow = try loadFlow(yaml)
        async let running = harness.execute(flow)

        // Both branches are running; then only the warm-up finishes, and the failure follows it.
        await harness.clock.waitForSleepers(count: 2)
        harness.clock.advance(by: .milliseconds(10))

        let result = try await running
        #expect(result.status == .failed)
        #expect(result.failure?.message == "broke")
        #expect(result.failure?.failedStep == "f")
        let marks = harness.fixtures.slowMarks
        #expect(marks.contains("start:long"))
        #expect(!marks.contains("end:long"))
        // The sibling's sleep was cancelled and unwound before the run returned, not left behind.
        #expect(harness.clock.sleeperCount == 0)
        #expect(harness.clock.now.offset == .milliseconds(10))
    }

    // MARK: S23 exit in a branch ends the flow

    @Test func s23ExitInABranchTerminatesTheFlowWithItsReason() async throws {
        let yaml = """
            flow: P
            steps:
              - parallel:
                  - task: Slow
                    id: s
                    inputs: {ms: 10000, tag: long}
                  - exit: {reason: branch done, outputs: {from: parallel}}
              - task: Ret
                id: after
                inputs: {value: 1}
            outputs:
              - name: after
                value: ${after}
            """
        let harness = ScenarioHarness()
        let result = try await harness.run(yaml)
        #expect(result.status == .terminated)
        #expect(result.reason == "branch done")
        #expect(result.outputs == ["from": "parallel"])
        #expect(!harness.fixtures.callOrder.contains("Ret"))
        #expect(!harness.fixtures.slowMarks.contains("end:long"))
        #expect(harness.clock.sleeperCount == 0)
        #expect(harness.log.eventNamesWithSteps.contains("flow_terminated"))
        #expect(result.json["terminated"] == true)
    }

    @Test func exitAfterASiblingHasStartedStillEndsTheFlow() async throws {
        let yaml = """
            flow: P
            steps:
              - parallel:
                  - task: Slow
                    id: s
                    inputs: {ms: 10000, tag: long}
                  - if: true
                    then:
                      - task: Slow
                        id: short
                        inputs: {ms: 10, tag: short}
                      - exit: {reason: stop}
            """
        let harness = ScenarioHarness()
        let flow = try loadFlow(yaml)
        async let running = harness.execute(flow)
        await harness.clock.waitForSleepers(count: 2)
        harness.clock.advance(by: .milliseconds(10))
        let result = try await running
        #expect(result.status == .terminated)
        #expect(result.reason == "stop")
        #expect(harness.fixtures.slowMarks.contains("start:long"))
        #expect(!harness.fixtures.slowMarks.contains("end:long"))
        #expect(harness.clock.sleeperCount == 0)
    }
}
