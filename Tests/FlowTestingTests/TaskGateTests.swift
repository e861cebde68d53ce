import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// A gate holds task calls until the test opens it, for one call or for all, and lets a cancelled call go.
struct TaskGateTests {
    static let flow = """
        flow: Gated
        inputs:
          - name: n
            type: integer
        steps:
          - task: Held
            id: held
            inputs: {n: "${inputs.n}"}
        outputs:
          - name: out
            value: ${held.done}
        """

    static func executor(_ gate: TaskGate) -> FlowExecutor {
        var registry = TaskRegistry()
        gate.register("Held", in: &registry, returning: ["done": true])
        return FlowExecutor(registry: registry)
    }

    @Test func aCallWaitsAtTheGateUntilItIsOpenedAndTheTestSeesItsInputs() async throws {
        let gate = TaskGate()
        let flow = try FlowLoader().load(yaml: Self.flow)
        let executor = Self.executor(gate)
        async let result = executor.execute(flow, inputs: ["n": 7])
        var arrivals = gate.started.makeAsyncIterator()
        let inputs = await arrivals.next()
        #expect(inputs?["n"] == 7)
        gate.open()
        #expect(try await result.outputs["out"] == true)
    }

    @Test func openLetsOneCallGoAndOpenForAllTheRest() async throws {
        let gate = TaskGate()
        let flow = try FlowLoader().load(yaml: Self.flow)
        let executor = Self.executor(gate)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 1...3 {
                group.addTask {
                    _ = try await executor.execute(flow, inputs: ["n": .int(n)])
                    return n
                }
            }
            await gate.waitForArrivals(3)
            gate.open()
            let first = try await group.next()
            #expect(first != nil)
            gate.openForAll()
            var rest = 0
            for try await _ in group { rest += 1 }
            #expect(rest == 2)
        }
        // Open for all: a later call passes without stopping.
        #expect(try await executor.execute(flow, inputs: ["n": 4]).outputs["out"] == true)
    }

    @Test func anOpenBeforeTheCallArrivesLetsTheNextCallThrough() async throws {
        let gate = TaskGate()
        gate.open()
        let flow = try FlowLoader().load(yaml: Self.flow)
        #expect(try await Self.executor(gate).execute(flow, inputs: ["n": 1]).outputs["out"] == true)
    }

    @Test func aHeldCallWhoseTaskIsCancelledStopsWaiting() async throws {
        let gate = TaskGate()
        let waiting = Task { try await gate.pass(["n": 1]) }
        await gate.waitForArrivals(1)
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }
}
