import FlowConnections
import FlowCore
import Foundation
import Logging

/// Executes a flow doing one `pg_query` and one `sqlite_query` at a fixed concurrency, twice: on pools shared by
/// every execution (FlowLang's way), and with pools opened and closed by each execution (the original's
/// connect-per-execution), and prints executions per second and latency percentiles of each (docs/benchmarks.md).
///
/// `swift build -c release --product FlowDatabaseBenchmark`, then
/// `.build/release/FlowDatabaseBenchmark --postgres URL [--concurrency 16] [--executions 4000]`.
@main
struct FlowDatabaseBenchmark {
    static let flowYAML = """
        flow: DatabaseBench
        connections:
          pg:
            type: postgres
            url: ${PG_URL}
            pool_size: 16
          local:
            type: sqlite
            database: ${SQLITE_FILE}
        inputs: [n]
        steps:
          - task: pg_query
            id: remote
            connection: pg
            inputs: {query: "SELECT $1::int + 1 AS next", params: ["${inputs.n}"]}
          - task: sqlite_query
            id: local
            connection: local
            inputs: {query: "SELECT ? * 2 AS doubled", params: ["${inputs.n}"]}
        outputs:
          - name: next
            value: ${remote.rows}
        """

    static func main() async throws {
        let arguments = CommandLine.arguments
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        guard let url = option("--postgres") else {
            FileHandle.standardError.write(
                Data("usage: FlowDatabaseBenchmark --postgres URL [--concurrency 16] [--executions 4000]\n".utf8))
            exit(2)
        }
        let concurrency = option("--concurrency").flatMap(Int.init) ?? 16
        let executions = option("--executions").flatMap(Int.init) ?? 4000
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "flowlang-db-bench-\(UUID().uuidString).db"
        ).path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let flow = try FlowLoader(environment: ["PG_URL": url, "SQLITE_FILE": file], requiresEnvironment: true).load(
            yaml: flowYAML)
        let registry = {
            var registry = TaskRegistry()
            registry.registerDatabaseTasks()
            return registry
        }()
        let logger = {
            var logger = Logger(label: "bench")
            logger.logLevel = .error
            return logger
        }()
        print("| approach | executions/s | p50 | p99 | failed |")
        print("|---|---|---|---|---|")
        let shared = try await ConnectionPools.withPools(logger: logger) { pools in
            let executor = FlowExecutor(registry: registry, connections: pools)
            _ = try await run(executions: concurrency * 4, concurrency: concurrency) { n in
                try await executor.execute(flow, inputs: ["n": .int(n)])
            }
            return try await run(executions: executions, concurrency: concurrency) { n in
                try await executor.execute(flow, inputs: ["n": .int(n)])
            }
        }
        print(shared.row("pools shared by executions"))
        let perExecution = try await run(executions: executions / 4, concurrency: concurrency) { n in
            try await ConnectionPools.withPools(logger: logger) { pools in
                try await FlowExecutor(registry: registry, connections: pools).execute(flow, inputs: ["n": .int(n)])
            }
        }
        print(perExecution.row("connect per execution (the original's)"))
    }

    struct Result {
        var executions: Int
        var elapsed: Duration
        var latencies: [Duration]
        var failed: Int

        func row(_ name: String) -> String {
            let sorted = latencies.sorted()
            func percentile(_ p: Double) -> String {
                let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
                return String(
                    format: "%.2f ms",
                    Double(value.components.attoseconds) / 1e15 + Double(value.components.seconds) * 1000)
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return
                "| \(name) | \(Int(Double(executions) / seconds)) | \(percentile(0.5)) | \(percentile(0.99)) | \(failed) |"
        }
    }

    /// Runs `executions` calls of `body`, at most `concurrency` at once.
    static func run(
        executions: Int, concurrency: Int, _ body: @escaping @Sendable (Int) async throws -> ExecutionResult
    ) async throws -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        var latencies: [Duration] = []
        var failed = 0
        try await withThrowingTaskGroup(of: (Duration, Bool).self) { group in
            var next = 0
            func add() {
                let n = next
                next += 1
                group.addTask {
                    let began = clock.now
                    let result = try await body(n)
                    return (clock.now - began, result.status == .completed)
                }
            }
            for _ in 0..<min(concurrency, executions) { add() }
            while let (latency, succeeded) = try await group.next() {
                latencies.append(latency)
                if !succeeded { failed += 1 }
                if next < executions { add() }
            }
        }
        return Result(executions: executions, elapsed: clock.now - start, latencies: latencies, failed: failed)
    }
}
