import FlowCore
import FlowServer
import Foundation
import Synchronization

/// The flows `scripts/cancel-storm.py` and `scripts/soak.py` load: `Held` holds for `seconds` (cooperatively,
/// on the execution's clock) and, when cancelled, runs its `on_cancel` step, which appends the execution id to
/// a file so the scripts can check each cleanup ran exactly once; beside it, the benchmark's two-task `Bench` flow.
enum StormFlows {
    static let held = """
        flow: Held
        inputs:
          - name: seconds
            type: number
            required: false
            default: 3600
        steps:
          - task: Hold
            id: hold
            inputs: {seconds: "${inputs.seconds}"}
        on_cancel:
          - task: Cleanup
            id: cleanup
        outputs:
          - name: held
            value: ${hold.held}
        """

    /// The two flows, their cleanups appended to `cleanupLog` (one execution id per line).
    static func catalog(cleanupLog: String) throws -> FlowCatalog {
        _ = FileManager.default.createFile(atPath: cleanupLog, contents: nil)
        let log = CleanupLog(handle: try FileHandle(forWritingTo: URL(fileURLWithPath: cleanupLog)))
        var registry = TaskRegistry()
        registry.register("Hold") { inputs, context in
            let seconds = inputs["seconds"]?.doubleValue ?? 3600
            try await context.clock.sleep(for: .milliseconds(Int64(seconds * 1000)))
            return ["held": .double(seconds)]
        }
        registry.register("Cleanup") { _, context in
            log.append(context.executionId.rawValue)
            return [:]
        }
        let loader = FlowLoader()
        return FlowCatalog(flows: [
            ServedFlow(definition: try loader.load(yaml: held), registry: registry),
            ServedFlow(definition: try loader.load(yaml: FlowServerBenchmark.flowYAML), registry: registry),
        ])
    }

    /// Lines appended under a lock, each with one write.
    final class CleanupLog: Sendable {
        private let handle: Mutex<FileHandle>

        init(handle: FileHandle) {
            self.handle = Mutex(handle)
        }

        func append(_ line: String) {
            handle.withLock { $0.write(Data((line + "\n").utf8)) }
        }
    }
}
