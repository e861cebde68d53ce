import FlowCore
import FlowSQLite
import FlowTesting
import Foundation
import Logging
import OrderedCollections
import Testing

@testable import FlowServer

/// `/metrics` shows how long the execution store's calls take, how often they fail, and how many runs were
/// resumed.
@Suite(.timeLimit(.minutes(1)))
struct SQLiteStoreMetricsTests {
    @Test func storeCallsAndResumesAreCounted() async throws {
        let path = StoreFiles.newPath()
        try await SQLiteResumeTests.interruptedRun(at: path, journaled: [SQLiteResumeTests.reserved])
        let metrics = ServerMetrics()
        let store = try SQLiteExecutionStore(path: path)
        let flow = ServedFlow(
            definition: try FlowLoader().load(yaml: SQLiteResumeTests.flowYAML),
            registry: SQLiteResumeTests.tasks(TaskCallRecorder())
        )
        let service = ExecutionService(
            store: store,
            logger: Logger(label: "test"),
            observability: ServerObservability(metrics: metrics),
            catalog: FlowCatalog(flow: flow)
        )
        _ = try await SQLiteResumeTests.runUntilFinished(service, id: "order-run")
        let fresh = await service.execute(flow, inputs: ["order": "o-2"], mode: .sync)
        #expect(fresh.status == .completed)

        let text = metrics.text()
        #expect(text.contains("flowlang_executions_resumed_total 1"), "\(text)")
        let counts = ["claim": 1, "journal_read": 1, "create": 1, "finish": 2, "journal_append": 3]
        for (operation, count) in counts {
            #expect(
                text.contains("flowlang_store_operation_duration_seconds_count{operation=\"\(operation)\"} \(count)"),
                "\(operation)")
            #expect(text.contains("flowlang_store_errors_total{operation=\"\(operation)\"} 0"), "\(operation)")
        }
    }
}
