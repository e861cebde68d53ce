import FlowCore
import FlowTesting
import Foundation
import OrderedCollections
import Synchronization

/// Everything one scenario run needs: the fixture tasks plus `Capture`, an event log, and an executor whose
/// subflow loader is rooted at the bundled `Fixtures/sf` directory.
///
/// `Capture(**kw)` returns its inputs and records them, so a test can see what a handler or cleanup step got.
struct EngineScenario {
    let tasks = FixtureTasks()
    let log = EventCollector()
    let captures = CapturedInputs()
    var registry: TaskRegistry

    init() {
        registry = tasks.registry()
        let captures = self.captures
        registry.register("Capture") { inputs, _ in
            captures.append(inputs)
            return inputs
        }
    }

    /// An executor on `clock` that finds subflows under `Fixtures/sf`.
    func executor(clock: any Clock<Duration>) throws -> FlowExecutor {
        FlowExecutor(
            registry: registry,
            subflowLoader: FileSubflowLoader(baseDirectory: try FixtureFiles.subflowDirectory()),
            clock: clock
        )
    }

    /// The options every run uses: this scenario's event log, plus the given id and signal.
    func options(executionId: ExecutionID? = nil, cancellation: CancellationSignal? = nil) -> ExecutionOptions {
        if let executionId {
            return ExecutionOptions(executionId: executionId, observers: [log], cancellation: cancellation)
        }
        return ExecutionOptions(observers: [log], cancellation: cancellation)
    }

    /// Loads `yaml` and runs it to the end on `clock` (an ``ImmediateClock`` unless given).
    func run(
        _ yaml: String,
        inputs: OrderedDictionary<String, FlowValue> = [:],
        clock: any Clock<Duration> = ImmediateClock(),
        executionId: ExecutionID? = nil,
        cancellation: CancellationSignal? = nil
    ) async throws -> ExecutionResult {
        let flow = try loadFlow(yaml)
        return try await executor(clock: clock).execute(
            flow,
            inputs: inputs,
            options: options(executionId: executionId, cancellation: cancellation)
        )
    }

    /// The events of one kind, in order.
    func events(_ kind: ExecutionEvent.Kind) -> [ExecutionEvent] {
        log.events.filter { $0.kind == kind }
    }

    /// How many times the fixture task `name` was called.
    func calls(of name: String) -> Int {
        tasks.callOrder.filter { $0 == name }.count
    }
}

/// The inputs each `Capture` call received, in call order.
final class CapturedInputs: Sendable {
    private let values = Mutex<[FlowValue]>([])

    func append(_ value: FlowValue) {
        values.withLock { $0.append(value) }
    }

    var all: [FlowValue] { values.withLock { $0 } }
}

/// Paths into the bundled test fixtures.
enum FixtureFiles {
    /// `Fixtures/sf`, the directory subflows are looked up in.
    static func subflowDirectory() throws -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw FixtureMissing(name: "Fixtures")
        }
        return url.appendingPathComponent("sf").path
    }

    struct FixtureMissing: Error {
        var name: String
    }
}
