import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// Spec §1.15 and §12.8 S33–S35: the forms of `exit`, its reason and outputs, and what it skips.
struct ExitScenarioTests {
    static let defaultReason = "Flow terminated by exit step"

    /// S33 and S35 (REC): every reason-less spelling ends the flow the same way.
    @Test(arguments: ["- exit:", "- exit: true", "- exit", "- exit: null", "- exit: {}"])
    func exitWithoutReasonTerminatesWithTheDefaultReason(_ step: String) async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            """
            flow: X
            steps:
              \(step)
            """
        )
        #expect(result.status == .terminated)
        #expect(result.isSuccess)
        #expect(result.reason == Self.defaultReason)
        #expect(result.outputs.isEmpty)
        #expect(result.failure == nil)
        #expect(scenario.log.eventNamesWithSteps == ["flow_started", "flow_terminated", "flow_completed"])
    }

    @Test func exitEventsCarryTheSameReason() async throws {
        let scenario = EngineScenario()
        _ = try await scenario.run("flow: X\nsteps:\n  - exit\n")
        let terminated = try #require(scenario.events(.flowTerminated).first)
        #expect(terminated.data["reason"] == .string(Self.defaultReason))
        #expect(terminated.data["outputs"] == [:])
        let completed = try #require(scenario.events(.flowCompleted).first)
        #expect(completed.data["success"] == true)
        #expect(completed.data["terminated"] == true)
        #expect(completed.data["termination_reason"] == .string(Self.defaultReason))
        #expect(completed.data["outputs"] == [:])
    }

    /// S34 (REC: the reason is interpolated too).
    @Test func exitReasonAndOutputsAreResolvedAndDeclaredOutputsAreIgnored() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            """
            flow: X
            inputs:
              - name: a
                type: integer
            steps:
              - exit:
                  reason: "Reason ${inputs.a}"
                  outputs:
                    v: ${inputs.a}
                    s: "val ${inputs.a}"
              - task: Ret
                id: never
                inputs: {value: 1}
            outputs:
              - name: declared
                value: ${never.x}
            """,
            inputs: ["a": 7]
        )
        #expect(result.status == .terminated)
        #expect(result.reason == "Reason 7")
        #expect(result.outputs == ["v": 7, "s": "val 7"])
        #expect(scenario.tasks.callOrder.isEmpty)
        let terminated = try #require(scenario.events(.flowTerminated).first)
        #expect(terminated.data["reason"] == "Reason 7")
        #expect(terminated.data["outputs"] == ["v": 7, "s": "val 7"])
        #expect(scenario.events(.flowCompleted).first?.data["termination_reason"] == "Reason 7")
    }

    @Test func exitOutputsCanReferenceEarlierStepResults() async throws {
        let result = try await EngineScenario().run(
            """
            flow: X
            steps:
              - task: Ret
                id: user
                inputs: {value: {id: u1, found: false}}
              - if: ${user.found} == false
                then:
                  - exit:
                      reason: User not found
                      outputs: {status: error, user_id: "${user.id}", user: "${user}"}
              - task: Fail
            """
        )
        #expect(result.status == .terminated)
        #expect(result.reason == "User not found")
        #expect(result.outputs == ["status": "error", "user_id": "u1", "user": ["id": "u1", "found": false]])
    }

    @Test func exitInsideALoopStopsEveryLaterIterationAndStep() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            """
            flow: X
            steps:
              - for_each: [1, 2, 3]
                as: n
                do:
                  - task: Ret
                    inputs: {value: "${n}"}
                  - if: ${n} == 2
                    then:
                      - exit: {reason: "stopped at ${n}"}
              - task: Fail
            """
        )
        #expect(result.status == .terminated)
        #expect(result.reason == "stopped at 2")
        #expect(scenario.tasks.callOrder == ["Ret", "Ret"])
    }

    @Test func exitInsideAParallelBranchTerminatesTheFlow() async throws {
        let scenario = EngineScenario()
        let result = try await scenario.run(
            """
            flow: X
            steps:
              - parallel:
                  - exit: {reason: from branch}
                  - task: Ret
                    inputs: {value: 1}
              - task: Fail
            """
        )
        #expect(result.status == .terminated)
        #expect(result.reason == "from branch")
        #expect(!scenario.tasks.callOrder.contains("Fail"))
    }

    @Test func exitReasonWithAnUnresolvableReferenceFailsTheFlow() async throws {
        let result = try await EngineScenario().run(
            """
            flow: X
            inputs:
              - name: a
            steps:
              - exit: {reason: "${inputs.nope}"}
            """
        )
        #expect(result.status == .failed)
        #expect(result.failure?.type == "ReferenceError")
    }

    @Test func exitWithAListIsALoadError() throws {
        #expect(throws: FlowLoadError.self) {
            try loadFlow("flow: X\nsteps:\n  - exit: [a, b]\n")
        }
    }
}
