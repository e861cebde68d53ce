import FlowCore
import FlowTesting
import OrderedCollections
import Synchronization

/// The fixture tasks of the spec's test scenarios (§12), registered beside the built-ins.
///
/// `Ret(value)` returns `value`; `Fail(msg)` fails with `msg` and type `ValueError`; `Flaky(fail_times)` fails
/// "flaky fail n" until its n-th call exceeds `fail_times`; `Slow(ms, tag)` sleeps on the execution clock;
/// `Stub` is not implemented; `SyncAdd(a, b)` adds; `Greet(name, count)` greets. Every call is recorded.
final class FixtureTasks: Sendable {
    struct Call: Sendable {
        var task: String
        var inputs: FlowValue
        var started: ManualClock.Instant?
    }

    private let flakyCount = Mutex(0)
    /// Every call of the fixture tasks.
    let calls = TaskCallRecorder()
    private let events = Mutex<[String]>([])

    /// Task names in call order.
    var callOrder: [String] { calls.allCalls.map(\.taskName) }

    /// "start:tag" / "end:tag" marks written by `Slow`, in the order they happened.
    var slowMarks: [String] { events.withLock { $0 } }

    func registry() -> TaskRegistry {
        var registry = TaskRegistry()
        registry.register(
            "Ret",
            calls.recording("Ret") { inputs, _ in
                return inputs["value"] ?? .null
            })
        registry.register(
            "Fail",
            calls.recording("Fail") { inputs, _ in
                throw TaskError(inputs["msg"]?.interpolationText ?? "boom", type: "ValueError")
            })
        registry.register(
            "Flaky",
            calls.recording("Flaky") { [self] inputs, _ in
                let failTimes = inputs["fail_times"]?.intValue ?? 0
                let attempt = flakyCount.withLock { count in
                    count += 1
                    return count
                }
                if attempt <= failTimes { throw TaskError("flaky fail \(attempt)", type: "FlakyError") }
                return ["ok": true, "attempt": .int(attempt)]
            })
        registry.register(
            "Slow",
            calls.recording("Slow") { [self] inputs, context in
                let tag = inputs["tag"]?.interpolationText ?? ""
                events.withLock { $0.append("start:\(tag)") }
                try await context.clock.sleep(for: .milliseconds(inputs["ms"]?.intValue ?? 0))
                events.withLock { $0.append("end:\(tag)") }
                return ["tag": .string(tag)]
            })
        registry.registerStub("Stub")
        registry.register(
            "SyncAdd",
            calls.recording("SyncAdd") { inputs, _ in
                guard let a = inputs["a"]?.intValue, let b = inputs["b"]?.intValue else {
                    throw TaskError("SyncAdd needs integer inputs 'a' and 'b'", type: "TypeError")
                }
                return ["sum": .int(a + b)]
            })
        registry.register(
            "Greet",
            calls.recording("Greet") { inputs, _ in
                guard let name = inputs["name"]?.stringValue else {
                    throw TaskError("Greet needs 'name'", type: "TypeError")
                }
                return ["greeting": .string("Hello, \(name)!"), "count": inputs["count"] ?? .null]
            })
        return registry
    }

}

/// Loads flow YAML written in a test, failing the test with the diagnostics if it does not load.
func loadFlow(_ yaml: String, file: String? = nil) throws -> FlowDefinition {
    try FlowLoader().load(yaml: yaml, file: file)
}
