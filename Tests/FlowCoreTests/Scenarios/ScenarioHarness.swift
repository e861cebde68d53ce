import FlowCore
import FlowTesting
import OrderedCollections

/// One scenario run's world: the fixture tasks, a manual clock nobody advances unless a test does, an event
/// log, and an executor wired to all three.
///
/// Every scenario that does not involve `Slow` never sleeps, so the manual clock only matters where a test
/// drives it explicitly with `waitForSleepers(count:)` and `advance(by:)`.
struct ScenarioHarness: Sendable {
    let fixtures = FixtureTasks()
    let clock = ManualClock()
    let log = EventCollector()
    let executor: FlowExecutor

    init() {
        executor = FlowExecutor(registry: fixtures.registry(), clock: clock)
    }

    /// Runs an already loaded flow with the event log attached.
    func execute(_ flow: FlowDefinition, inputs: OrderedDictionary<String, FlowValue> = [:]) async throws
        -> ExecutionResult
    {
        try await executor.execute(flow, inputs: inputs, options: ExecutionOptions(observers: [log]))
    }

    /// Loads `yaml` and runs it.
    func run(_ yaml: String, inputs: OrderedDictionary<String, FlowValue> = [:]) async throws -> ExecutionResult {
        try await execute(try loadFlow(yaml), inputs: inputs)
    }
}
