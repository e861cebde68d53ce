import FlowCore
import FlowTesting
import Foundation
import OrderedCollections
import Synchronization
import Testing

/// A step journal (spec: durable executions, #13): every task step is recorded at its structural path, and a run
/// given the journal of an interrupted one replays what it holds instead of running it again.
@Suite(.timeLimit(.minutes(1)))
struct ResumeScenarioTests {
    static let everyKind = """
        flow: J
        inputs:
          - name: items
          - name: pick
        steps:
          - task: Ret
            id: first
            inputs: {value: 1}
          - if: "${first} == 1"
            then:
              - task: Ret
                id: t
                inputs: {value: then}
            else:
              - task: Ret
                id: e
                inputs: {value: else}
          - parallel:
              - task: Ret
                id: p0
                inputs: {value: a}
              - task: Ret
                id: p1
                inputs: {value: b}
          - for_each: ${inputs.items}
            as: item
            do:
              - task: Echo
                id: each
                inputs: {v: "${item}"}
          - switch: ${inputs.pick}
            cases:
              - when: x
                do: [{task: Ret, id: sx, inputs: {value: X}}]
              - default:
                  - task: Ret
                    id: sd
                    inputs: {value: D}
          - task: Fail
            id: broken
            inputs: {msg: nope}
            on_error:
              - task: Ret
                id: recovered
                inputs: {value: "${error.message}"}
          - subflow: child
            id: c
            inputs: {v: "${t}"}
        outputs:
          - name: summary
            value: "${first}-${t}-${p0}${p1}-${each.v}-${sd}-${recovered}-${c.doubled}"
        """

    static let inputs: OrderedDictionary<String, FlowValue> = ["items": ["i", "j"], "pick": "y"]

    /// Runs `everyKind` as execution `e-1` with `journal`, recording every task call in `recorder`.
    func run(_ scenario: EngineScenario, journal: MemoryStepJournal, recorder: TaskCallRecorder = TaskCallRecorder())
        async throws -> ExecutionResult
    {
        let executor = FlowExecutor(
            registry: recorder.wrapping(scenario.registry),
            subflowLoader: FileSubflowLoader(baseDirectory: try FixtureFiles.subflowDirectory()),
            clock: ImmediateClock()
        )
        return try await executor.execute(
            try loadFlow(Self.everyKind),
            inputs: Self.inputs,
            options: ExecutionOptions(executionId: "e-1", observers: [scenario.log], journal: journal)
        )
    }

    @Test func everyTaskStepIsJournaledAtAPathNamingItsPlaceInLoopsBranchesHandlersAndSubflows() async throws {
        let journal = MemoryStepJournal()
        let result = try await run(EngineScenario(), journal: journal)
        #expect(result.status == .completed)
        #expect(
            Set(journal.paths) == [
                "0", "1.then.0", "2.branch0.0", "2.branch1.0", "3[0].0", "3[1].0", "4.default.0", "5", "5.on_error.0",
                "6.subflow.0",
            ]
        )
        #expect(journal.entry(at: StepPath("5"))?.outcome == .failed(message: "nope", type: "ValueError"))
        #expect(journal.entry(at: StepPath("3[1].0"))?.inputs == ["v": "j"])
        #expect(journal.entry(at: StepPath("0"))?.outcome == .completed(output: 1))
    }

    @Test func aResumedRunReplaysJournaledStepsAndRunsOnlyTheRestWithTheSameResult() async throws {
        let complete = MemoryStepJournal()
        let uninterrupted = try await run(EngineScenario(), journal: complete)
        for kept in 0...complete.entries.count {
            let recorder = TaskCallRecorder()
            let resumed = MemoryStepJournal(entries: Array(complete.entries.prefix(kept)))
            let result = try await run(EngineScenario(), journal: resumed, recorder: recorder)
            #expect(result.status == .completed)
            #expect(result.outputs == uninterrupted.outputs, "resumed after \(kept) journaled steps")
            #expect(recorder.allCalls.count == complete.entries.count - kept, "resumed after \(kept) journaled steps")
            #expect(Set(resumed.paths) == Set(complete.paths))
        }
    }

    @Test func aJournaledFailureGoesToOnErrorAgainWithoutCallingTheTask() async throws {
        let complete = MemoryStepJournal()
        _ = try await run(EngineScenario(), journal: complete)
        let beforeHandler = complete.entries.prefix { $0.path.description != "5.on_error.0" }
        let scenario = EngineScenario()
        let result = try await run(scenario, journal: MemoryStepJournal(entries: Array(beforeHandler)))
        #expect(result.status == .completed)
        #expect(scenario.calls(of: "Fail") == 0)
        #expect(scenario.tasks.callOrder.contains("Ret"))
        let failed = scenario.events(.stepFailed).first { $0.data["step_id"] == "broken" }
        #expect(failed?.data["replayed"] == true)
        #expect(failed?.data["error"] == "nope")
    }

    @Test func replayedStepsEmitStartedAndCompletedEventsMarkedReplayed() async throws {
        let complete = MemoryStepJournal()
        _ = try await run(EngineScenario(), journal: complete)
        let scenario = EngineScenario()
        _ = try await run(scenario, journal: MemoryStepJournal(entries: Array(complete.entries.prefix(1))))
        let first = scenario.log.events.filter { $0.data["step_id"] == "first" }
        #expect(first.map(\.kind) == [.stepStarted, .stepCompleted])
        #expect(first.allSatisfy { $0.data["replayed"] == true })
        #expect(first.last?.data["outputs"] == 1)
        let later = scenario.events(.stepCompleted).first { $0.data["step_id"] == "t" }
        #expect(later?.data["replayed"] == nil)
    }

    @Test func aJournalFromAnotherTaskAtTheSamePathFailsTheRunNamingTheStep() async throws {
        let stale = StepJournalEntry(
            path: StepPath("0"), stepId: "first", task: "Charge", inputs: [:], attempts: 1,
            outcome: .completed(output: 1), startedAt: Date(), finishedAt: Date()
        )
        let scenario = EngineScenario()
        let result = try await run(scenario, journal: MemoryStepJournal(entries: [stale]))
        #expect(result.status == .failed)
        #expect(result.failure?.type == "ResumeMismatch")
        #expect(result.failure?.failedStep == "first")
        #expect(result.failure?.message.contains("task 'Charge' ran there, but the flow now runs 'Ret'") == true)
        #expect(scenario.tasks.callOrder.isEmpty)
    }

    @Test func theIdempotencyKeyIsTheSameForEveryAttemptAndDiffersPerIteration() async throws {
        let keys = KeyLog()
        var registry = TaskRegistry()
        registry.register("Flaky") { inputs, context in
            keys.append(context.idempotencyKey)
            if context.attempt < 2 { throw TaskError("again", type: "Busy") }
            return inputs
        }
        let flow = try loadFlow(
            """
            flow: K
            steps:
              - for_each: [1, 2]
                do:
                  - task: Flaky
                    retry: {max_attempts: 2, delay: 0}
            """
        )
        let result = try await FlowExecutor(registry: registry, clock: ImmediateClock())
            .execute(flow, options: ExecutionOptions(executionId: "run-9"))
        #expect(result.status == .completed)
        #expect(keys.all == ["run-9:0[0].0", "run-9:0[0].0", "run-9:0[1].0", "run-9:0[1].0"])
    }

    @Test func aResumedRunsFlowTimeoutCountsTheTimeItAlreadyRan() async throws {
        let flow = try loadFlow(
            """
            flow: T
            timeout: 30
            steps:
              - task: Slow
                inputs: {ms: 1000}
            """
        )
        // Nobody advances the clock: only a deadline already passed can end the sleeping step.
        let result = try await FlowExecutor(registry: FixtureTasks().registry(), clock: ManualClock())
            .execute(flow, options: ExecutionOptions(journal: MemoryStepJournal(), alreadyElapsed: .seconds(31)))
        #expect(result.status == .cancelled)
        #expect(result.reason == "Flow timed out after 30 seconds")
    }
}

/// Idempotency keys tasks saw, in call order.
private final class KeyLog: Sendable {
    private let keys = Mutex<[String]>([])

    func append(_ key: String) { keys.withLock { $0.append(key) } }

    var all: [String] { keys.withLock { $0 } }
}
