import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// Spec §12.5, scenarios S15–S20, plus loop ids, bounded concurrency and loop-variable isolation.
@Suite("Scenarios S15–S20: loops")
struct LoopScenarioTests {
    // MARK: S15 the loop variable shadows an input only inside the loop

    static let s15 = """
        flow: L
        inputs: [{name: item}, {name: items}]
        steps:
          - for_each: ${inputs.items}
            do:
              - task: Echo
                id: e
                inputs: {i: "${inputs.item}"}
          - task: Echo
            id: after
            inputs: {i: "${inputs.item}"}
        outputs:
          - name: in_loop_last
            value: ${e.i}
          - name: after
            value: ${after.i}
        """

    @Test func s15LoopVariableShadowsAnInputOnlyInsideTheLoop() async throws {
        let result = try await ScenarioHarness().run(Self.s15, inputs: ["item": "orig", "items": ["x", "y"]])
        #expect(result.status == .completed)
        #expect(result.outputs == ["in_loop_last": "y", "after": "orig"])
    }

    @Test func s15EveryIterationSeesItsOwnItem() async throws {
        let harness = ScenarioHarness()
        let result = try await harness.run(Self.s15, inputs: ["item": "orig", "items": ["x", "y", "z"]])
        #expect(result.outputs["in_loop_last"] == "z")
        let seen = harness.log.events.filter { $0.name == "step_started" && $0.stepId == "e" }.map { $0.data["inputs"] }
        #expect(seen == [["i": "x"], ["i": "y"], ["i": "z"]])
    }

    // MARK: S16 `as:` names the variable under inputs

    @Test func s16AsNamesTheLoopVariable() async throws {
        let yaml = """
            flow: L
            inputs: [{name: items}]
            steps:
              - for_each: ${inputs.items}
                as: it
                do:
                  - task: Echo
                    id: e
                    inputs: {v: "${inputs.it.x}", s: "val=${inputs.it.x}"}
            outputs:
              - name: e
                value: ${e}
            """
        let result = try await ScenarioHarness().run(yaml, inputs: ["items": [["x": 1], ["x": 2]]])
        #expect(result.status == .completed)
        #expect(result.outputs == ["e": ["v": 2, "s": "val=2"]])
    }

    // MARK: S17 `${item}` works directly (REC)

    static let s17 = """
        flow: L
        inputs: [{name: items}]
        steps:
          - for_each: ${inputs.items}
            as: item
            do:
              - task: Echo
                id: e
                inputs: {direct: "${item}", field: "${item.x}", via_inputs: "${inputs.item.x}", text: "x=${item.x}"}
        outputs:
          - name: e
            value: ${e}
        """

    @Test func s17BareLoopVariableAndInputsFormBothResolve() async throws {
        let result = try await ScenarioHarness().run(Self.s17, inputs: ["items": [["x": 1], ["x": 2]]])
        #expect(result.status == .completed)
        #expect(result.outputs["e"] == ["direct": ["x": 2], "field": 2, "via_inputs": 2, "text": "x=2"])
    }

    @Test func s17DefaultLoopVariableIsItem() async throws {
        let yaml = """
            flow: L
            steps:
              - for_each: ${inputs.items}
                do:
                  - task: Echo
                    id: e
                    inputs: {v: "${item}", w: "${inputs.item}"}
            outputs:
              - e
            """
        let result = try await ScenarioHarness().run(yaml, inputs: ["items": ["p", "q"]])
        #expect(result.outputs["e"] == ["v": "q", "w": "q"])
    }

    // MARK: S18 nested loops

    @Test func s18NestedLoopsSeeBothVariables() async throws {
        let yaml = """
            flow: N
            inputs: [{name: rows}]
            steps:
              - for_each: ${inputs.rows}
                as: row
                do:
                  - for_each: ${inputs.row}
                    as: cell
                    do:
                      - task: Echo
                        id: c
                        inputs: {v: "${inputs.cell}", r: "${inputs.row}", bare: "${row}-${cell}"}
            outputs:
              - name: last
                value: ${c}
            """
        let harness = ScenarioHarness()
        let result = try await harness.run(yaml, inputs: ["rows": [[1, 2], [3]]])
        #expect(result.status == .completed)
        #expect(result.outputs == ["last": ["v": 3, "r": [3], "bare": "[3]-3"]])
        let seen = harness.log.events.filter { $0.name == "step_started" }.compactMap { $0.data["inputs"]?["bare"] }
        #expect(seen == ["[1,2]-1", "[1,2]-2", "[3]-3"])
    }

    // MARK: S19 non-list for_each

    static let s19 = """
        flow: L
        inputs: [{name: items}]
        steps:
          - for_each: ${inputs.items}
            do:
              - task: Ret
                id: r
                inputs: {value: "${item}"}
        """

    static let s19Table: [(items: FlowValue, message: String)] = [
        (["k": "v"], "for_each requires a list, got object"),
        ("abc", "for_each requires a list, got string"),
    ]

    @Test(arguments: s19Table)
    func s19ForEachOverANonListFails(items: FlowValue, message: String) async throws {
        let harness = ScenarioHarness()
        let result = try await harness.run(Self.s19, inputs: ["items": items])
        #expect(result.status == .failed)
        #expect(result.failure?.type == "FlowExecutionError")
        #expect(result.failure?.message == message)
        #expect(harness.fixtures.callOrder.isEmpty)
    }

    @Test func emptyListRunsTheBodyNeverAndLaterOutputsAreNull() async throws {
        let harness = ScenarioHarness()
        let yaml =
            Self.s19 + """

                outputs:
                  - name: r
                    value: ${r}
                """
        let result = try await harness.run(yaml, inputs: ["items": []])
        #expect(result.status == .completed)
        #expect(result.outputs == ["r": nil])
        #expect(harness.fixtures.callOrder.isEmpty)
    }

    // MARK: S20 exit inside a loop

    @Test func s20ExitInsideALoopStopsTheFlowWithItsOutputs() async throws {
        let yaml = """
            flow: X
            inputs: [{name: items}]
            steps:
              - for_each: ${inputs.items}
                as: i
                do:
                  - task: Ret
                    id: seen
                    inputs: {value: "${inputs.i}"}
                  - if: ${inputs.i} == 2
                    then:
                      - exit:
                          outputs: {stopped_at: "${inputs.i}"}
              - task: Ret
                id: after
                inputs: {value: after}
            outputs:
              - name: never
                value: ${after}
            """
        let harness = ScenarioHarness()
        let result = try await harness.run(yaml, inputs: ["items": [1, 2, 3]])
        #expect(result.status == .terminated)
        #expect(result.reason == "Flow terminated by exit step")
        #expect(result.outputs == ["stopped_at": 2])
        #expect(harness.fixtures.callOrder == ["Ret", "Ret"])
        #expect(result.json["success"] == true)
        #expect(result.json["terminated"] == true)
        #expect(harness.log.eventNamesWithSteps.contains("flow_terminated"))
    }

    // MARK: Loop id collects every iteration

    @Test func loopIdCollectsEachIterationsResultsKeyedByStepId() async throws {
        let yaml = """
            flow: L
            steps:
              - for_each: ${inputs.items}
                id: all
                do:
                  - task: Echo
                    id: e
                    inputs: {v: "${item}"}
                  - task: Ret
                    id: r
                    inputs: {value: "${item}"}
            outputs:
              - name: all
                value: ${all}
              - name: second
                value: ${all[1].e.v}
              - name: last_e
                value: ${e}
            """
        let result = try await ScenarioHarness().run(yaml, inputs: ["items": [1, 2]])
        #expect(result.status == .completed)
        #expect(
            result.outputs == [
                "all": [["e": ["v": 1], "r": 1], ["e": ["v": 2], "r": 2]],
                "second": 2,
                "last_e": ["v": 2],
            ]
        )
    }

    @Test func loopIdOverAnEmptyListIsAnEmptyArray() async throws {
        let yaml = """
            flow: L
            steps:
              - for_each: ${inputs.items}
                id: all
                do:
                  - task: Ret
                    id: r
                    inputs: {value: "${item}"}
            outputs:
              - all
            """
        let result = try await ScenarioHarness().run(yaml, inputs: ["items": []])
        #expect(result.outputs == ["all": []])
    }

    // MARK: max_concurrency

    @Test(.timeLimit(.minutes(1)))
    func maxConcurrencyRunsThatManyIterationsAtOnceAndKeepsResultOrder() async throws {
        let yaml = """
            flow: L
            steps:
              - for_each: ${inputs.items}
                id: all
                max_concurrency: 3
                do:
                  - task: Slow
                    id: s
                    inputs: {ms: 10, tag: "${item}"}
            outputs:
              - all
            """
        let harness = ScenarioHarness()
        let flow = try loadFlow(yaml)
        async let running = harness.execute(flow, inputs: ["items": ["a", "b", "c", "d", "e"]])

        await harness.clock.waitForSleepers(count: 3)
        // Three iterations are asleep at once, and no fourth has started: the limit is exactly 3.
        #expect(harness.clock.sleeperCount == 3)
        #expect(harness.fixtures.slowMarks.count == 3)
        #expect(harness.fixtures.slowMarks.allSatisfy { $0.hasPrefix("start:") })
        #expect(Set(harness.fixtures.slowMarks) == ["start:a", "start:b", "start:c"])

        harness.clock.advance(by: .milliseconds(10))
        await harness.clock.waitForSleepers(count: 2)
        let marks = harness.fixtures.slowMarks
        #expect(harness.clock.sleeperCount == 2)
        #expect(Set(marks).isSuperset(of: ["start:d", "start:e"]))
        // The fourth iteration started only once an earlier one had finished and freed a slot.
        let firstEnd = try #require(marks.firstIndex { $0.hasPrefix("end:") })
        let fourthStart = try #require(marks.firstIndex(of: "start:d"))
        #expect(firstEnd < fourthStart)
        harness.clock.advance(by: .milliseconds(10))

        let result = try await running
        #expect(result.status == .completed)
        #expect(
            result.outputs["all"] == [
                ["s": ["tag": "a"]], ["s": ["tag": "b"]], ["s": ["tag": "c"]], ["s": ["tag": "d"]],
                ["s": ["tag": "e"]],
            ]
        )
        #expect(harness.clock.now.offset == .milliseconds(20))
    }

    @Test(.timeLimit(.minutes(1)))
    func withoutMaxConcurrencyIterationsRunOneAtATime() async throws {
        let yaml = """
            flow: L
            steps:
              - for_each: ${inputs.items}
                do:
                  - task: Slow
                    id: s
                    inputs: {ms: 10, tag: "${item}"}
            """
        let harness = ScenarioHarness()
        let flow = try loadFlow(yaml)
        async let running = harness.execute(flow, inputs: ["items": ["a", "b"]])
        await harness.clock.waitForSleepers(count: 1)
        #expect(harness.fixtures.slowMarks == ["start:a"])
        harness.clock.advance(by: .milliseconds(10))
        await harness.clock.waitForSleepers(count: 1)
        #expect(harness.fixtures.slowMarks == ["start:a", "end:a", "start:b"])
        harness.clock.advance(by: .milliseconds(10))
        let result = try await running
        #expect(result.status == .completed)
        #expect(harness.fixtures.slowMarks == ["start:a", "end:a", "start:b", "end:b"])
    }

    // MARK: Isolation

    @Test(.timeLimit(.minutes(1)))
    func loopsInParallelBranchesDoNotSeeEachOthersLoopVariable() async throws {
        let yaml = """
            flow: L
            steps:
              - parallel:
                  - for_each: ${inputs.left}
                    id: la
                    do:
                      - task: Slow
                        id: sa
                        inputs: {ms: 10, tag: "${item}"}
                      - task: Echo
                        id: ea
                        inputs: {direct: "${item}", via_inputs: "${inputs.item}"}
                  - for_each: ${inputs.right}
                    id: lb
                    do:
                      - task: Slow
                        id: sb
                        inputs: {ms: 10, tag: "${item}"}
                      - task: Echo
                        id: eb
                        inputs: {direct: "${item}", via_inputs: "${inputs.item}"}
            outputs:
              - la
              - lb
            """
        let harness = ScenarioHarness()
        let flow = try loadFlow(yaml)
        async let running = harness.execute(flow, inputs: ["left": ["a1", "a2"], "right": ["b1", "b2"]])
        // Both loops are mid-iteration at the same time, twice; each reads its variable after the other set its own.
        await harness.clock.waitForSleepers(count: 2)
        harness.clock.advance(by: .milliseconds(10))
        await harness.clock.waitForSleepers(count: 2)
        harness.clock.advance(by: .milliseconds(10))
        let result = try await running

        #expect(result.status == .completed)
        let left = try #require(result.outputs["la"]?.arrayValue)
        let right = try #require(result.outputs["lb"]?.arrayValue)
        #expect(
            left.map { $0["ea"] } == [["direct": "a1", "via_inputs": "a1"], ["direct": "a2", "via_inputs": "a2"]])
        #expect(
            right.map { $0["eb"] } == [["direct": "b1", "via_inputs": "b1"], ["direct": "b2", "via_inputs": "b2"]])
    }

    @Test func theCallersInputsAreNotModifiedAndTheLoopVariableDoesNotLeak() async throws {
        let yaml = """
            flow: L
            steps:
              - for_each: ${inputs.items}
                do:
                  - task: Ret
                    id: r
                    inputs: {value: "${item}"}
            outputs:
              - name: all_inputs
                value: ${inputs}
            """
        let harness = ScenarioHarness()
        let flow = try loadFlow(yaml)
        let inputs: OrderedDictionary<String, FlowValue> = ["items": ["x", "y"]]
        let snapshot = inputs

        let first = try await harness.execute(flow, inputs: inputs)
        let second = try await harness.execute(flow, inputs: inputs)

        #expect(inputs == snapshot)
        #expect(first.outputs == ["all_inputs": ["items": ["x", "y"]]])
        #expect(second.outputs == first.outputs)
        let started = harness.log.events.filter { $0.name == "flow_started" }.map { $0.data["inputs"] }
        #expect(started == [["items": ["x", "y"]], ["items": ["x", "y"]]])
    }
}
