import FlowCore
import FlowTesting
import Foundation
import OrderedCollections
import Testing

/// Spec §1.14 and §12.9 S36–S42, against the fixtures in `Fixtures/sf`.
@Suite(.timeLimit(.minutes(1)))
struct SubflowScenarioTests {
    static let parentFlow = """
        flow: P
        inputs:
          - name: x
        steps:
          - subflow: child
            id: c
            inputs: {v: "${inputs.x}"}
          - subflow: ex
            id: x
          - subflow: direct
            id: d
        outputs:
          - name: c
            value: ${c}
          - name: x
            value: ${x}
          - name: d
            value: ${d}
        """

    // MARK: S36

    @Test func subflowOutputsAreStoredUnderTheStepId() async throws {
        let result = try await EngineScenario().run(Self.parentFlow, inputs: ["x": "ab"])
        #expect(result.status == .completed)
        #expect(
            result.outputs == [
                "c": ["doubled": "abab", "raw": "ab"],
                "x": ["why": "early"],
                "d": ["k": 1],
            ]
        )
    }

    @Test func stepEventsNameTheStepsPlaceInTheRunThroughLoopsAndSubflows() async throws {
        let scenario = EngineScenario()
        let flow = """
            flow: P
            steps:
              - for_each: [1, 2]
                do:
                  - task: Echo
                    id: each
              - subflow: child
                id: c
                inputs: {v: x}
            """
        _ = try await scenario.run(flow)
        let paths = scenario.log.events.filter { $0.kind != .flowStarted && $0.kind != .flowCompleted }.map { event in
            "\(event.name) \(event.data["step_path"]?.stringValue ?? "-")"
        }
        #expect(
            paths == [
                "step_started 0[0].0", "step_completed 0[0].0", "step_started 0[1].0", "step_completed 0[1].0",
                "subflow_started 1", "step_started 1.subflow.0", "step_completed 1.subflow.0", "subflow_completed 1",
            ]
        )
    }

    @Test func subflowEventsAreEmittedAndChildStepEventsForwardedWithTheirPath() async throws {
        let scenario = EngineScenario()
        _ = try await scenario.run(Self.parentFlow, inputs: ["x": "ab"])
        #expect(
            scenario.log.eventNamesWithSteps == [
                "flow_started",
                "subflow_started(c)", "step_started(e)", "step_completed(e)", "subflow_completed(c)",
                "subflow_started(x)", "subflow_completed(x)",
                "subflow_started(d)", "subflow_completed(d)",
                "flow_completed",
            ]
        )
        let events = scenario.log.events
        #expect(
            events.filter { $0.kind == .stepStarted || $0.kind == .stepCompleted }.allSatisfy {
                $0.subflowPath == ["child"]
            })
        #expect(
            events.filter { $0.kind != .stepStarted && $0.kind != .stepCompleted }.allSatisfy { $0.subflowPath.isEmpty }
        )
        #expect(events.filter { $0.kind == .flowStarted }.count == 1)
        #expect(events.filter { $0.kind == .flowCompleted }.count == 1)
        #expect(events.filter { $0.kind == .flowTerminated }.isEmpty)

        let started = try #require(scenario.events(.subflowStarted).first)
        #expect(started.data["subflow_name"] == "child")
        #expect(started.data["step_id"] == "c")
        #expect(started.data["inputs"] == ["v": "ab"])
        #expect(started.data["call_stack"] == ["child"])
        let completed = try #require(scenario.events(.subflowCompleted).first)
        #expect(completed.data["subflow_name"] == "child")
        #expect(completed.data["outputs"] == ["doubled": "abab", "raw": "ab"])
        #expect(completed.data["duration_ms"]?.doubleValue != nil)
    }

    @Test func childStartsWithAFreshScope() async throws {
        let result = try await EngineScenario().run(
            """
            flow: P
            steps:
              - task: Ret
                id: e
                inputs: {value: {v: parent}}
              - subflow: child
                id: c
                inputs: {v: child}
            outputs:
              - name: c
            """
        )
        #expect(result.outputs == ["c": ["doubled": "childchild", "raw": "child"]])
    }

    // MARK: S37, S38

    @Test func missingRequiredChildInputFailsTheParent() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run("flow: P\nsteps:\n  - subflow: child\n    id: c\n")
        #expect(result.status == .failed)
        #expect(result.failure?.message == "Subflow 'child' failed: Required input 'v' not provided")
        #expect(result.failure?.failedStep == "c")
        #expect(
            scenario.log.eventNamesWithSteps == [
                "flow_started", "subflow_started(c)", "subflow_failed(c)", "flow_failed",
            ])
        let failed = try #require(scenario.events(.subflowFailed).first)
        #expect(failed.data["error"] == "Subflow 'child' failed: Required input 'v' not provided")
    }

    @Test func childStepFailureCarriesTheTasksMessage() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run("flow: P\nsteps:\n  - subflow: flakychild\n    id: s\n")
        #expect(result.status == .failed)
        #expect(result.failure?.message == "Subflow 'flakychild' failed: flaky fail 1")
        #expect(result.failure?.failedStep == "s")
        #expect(scenario.calls(of: "Flaky") == 1)
    }

    @Test(arguments: ["Child", "nonexistent", "CHILD"])
    func unknownSubflowNameIsNotFound(_ name: String) async throws {
        let result = try await EngineScenario().run("flow: P\nsteps:\n  - subflow: \(name)\n")
        #expect(result.status == .failed)
        #expect(result.failure?.message.hasPrefix("Subflow '\(name)' not found") == true)
        #expect(result.failure?.message.contains("Searched in:") == true)
        #expect(result.failure?.failedStep == name)
    }

    // MARK: S40, S41

    @Test func circularSubflowsAreDetected() async throws {
        let result = try await EngineScenario().run("flow: P\nsteps:\n  - subflow: flow_a\n    id: a\n")
        #expect(result.status == .failed)
        let message = try #require(result.failure?.message)
        #expect(message.contains("Circular subflow dependency detected"))
        #expect(message.contains("flow_a -> flow_b -> flow_a"))
    }

    @Test func nestedSubflowsCompose() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            """
            flow: Main
            steps:
              - subflow: calculate
                id: calc
                inputs: {a: 1, b: 2, c: 3}
            outputs:
              - name: total
                value: ${calc.total}
            """
        )
        #expect(result.status == .completed)
        #expect(result.outputs == ["total": 6])
        #expect(scenario.calls(of: "SyncAdd") == 2)
        let paths = scenario.events(.stepCompleted).map(\.subflowPath)
        #expect(paths == [["calculate", "add"], ["calculate", "add"]])
        #expect(
            scenario.events(.subflowStarted).map { $0.data["call_stack"] } == [
                ["calculate"], ["calculate", "add"], ["calculate", "add"],
            ])
    }

    @Test func flowLoadedFromAFileFindsSubflowsNextToItself() async throws {
        let scenario = EngineScenario()
        let path = try FixtureFiles.subflowDirectory() + "/main.yaml"
        let flow = try FlowLoader().load(contentsOf: path)
        let executor = FlowExecutor(registry: scenario.registry, clock: ImmediateClock())
        let result = try await executor.execute(flow, inputs: ["a": 1, "b": 2, "c": 3])
        #expect(result.status == .completed)
        #expect(result.outputs == ["total": 6])
    }

    // MARK: S42

    @Test func sameSubflowTwiceInParallelSucceeds() async throws {
        let scenario = EngineScenario()
        let clock = ManualClock()
        let flow = try loadFlow(
            """
            flow: P
            steps:
              - parallel:
                  - subflow: slowchild
                    id: one
                    inputs: {tag: one}
                  - subflow: slowchild
                    id: two
                    inputs: {tag: two}
            outputs:
              - name: one
              - name: two
            """
        )
        let executor = try scenario.executor(clock: clock)
        async let running = executor.execute(flow, options: scenario.options())
        await clock.waitForSleepers(count: 2)
        #expect(Set(scenario.tasks.slowMarks) == ["start:one", "start:two"])
        clock.advance(by: .milliseconds(100))
        let result = try await running
        #expect(result.status == .completed)
        #expect(result.outputs == ["one": ["tag": "one"], "two": ["tag": "two"]])
        #expect(scenario.events(.subflowFailed).isEmpty)
    }

    @Test func sameSubflowCalledTwiceInSequenceIsNotCircular() async throws {
        let result = try await EngineScenario().run(
            """
            flow: P
            steps:
              - subflow: child
                id: first
                inputs: {v: a}
              - subflow: child
                id: second
                inputs: {v: "${first.raw}b"}
            outputs:
              - name: second
            """
        )
        #expect(result.outputs == ["second": ["doubled": "abab", "raw": "ab"]])
    }

    // MARK: Retry and on_error on subflow steps

    @Test func subflowStepIsRetried() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            """
            flow: P
            steps:
              - subflow: flakychild
                id: f
                retry: {max_attempts: 2, delay_seconds: 0}
            outputs:
              - name: attempt
                value: ${f.attempt}
            """
        )
        #expect(result.status == .completed)
        #expect(result.outputs == ["attempt": 2])
        #expect(scenario.calls(of: "Flaky") == 2)
        #expect(scenario.events(.stepRetrying).filter { $0.subflowPath.isEmpty }.map(\.stepId) == ["f"])
    }

    @Test func subflowFailureAfterRetriesReportsTheAttempts() async throws {
        let result = try await EngineScenario().run(
            """
            flow: P
            steps:
              - subflow: child
                id: c
                retry: {max_attempts: 3, delay_seconds: 0}
            """
        )
        #expect(result.status == .failed)
        #expect(result.failure?.message == "Subflow 'child' failed: Required input 'v' not provided")
        #expect(result.failure?.attempts == 3)
    }

    @Test func subflowFailureIsHandledByOnError() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            """
            flow: P
            steps:
              - subflow: child
                id: c
                on_error:
                  - task: Capture
                    id: handler
                    inputs: {message: "${error.message}", step: "${error.step}"}
              - task: Ret
                id: after
                inputs: {value: continued}
            outputs:
              - name: after
            """
        )
        #expect(result.status == .completed)
        #expect(result.outputs == ["after": "continued"])
        #expect(
            scenario.captures.all == [
                ["message": "Subflow 'child' failed: Required input 'v' not provided", "step": "c"]
            ])
        #expect(
            scenario.log.eventNamesWithSteps.prefix(4) == [
                "flow_started", "subflow_started(c)", "subflow_failed(c)", "step_started(handler)",
            ])
    }
}
