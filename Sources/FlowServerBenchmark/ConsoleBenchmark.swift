import FlowCore
import FlowSQLite
import FlowServer
import Foundation
import GRDB
import Hummingbird
import Logging
import OrderedCollections

/// The console over a large SQLite store (`--console-port P --console-executions N --console-database PATH`):
/// fills the file with N finished executions of the Bench flow, then serves it, for scripts/bench-console.sh to
/// time the console's pages and `GET /executions` against.
///
/// The records are written in one transaction beside the store rather than through it (one transaction per
/// run would take minutes); they are what the store writes: ``ExecutionRecord/storageJSON``.
enum ConsoleBenchmark {
    static func application(arguments: [String], catalog: FlowCatalog, port: Int, logger: Logger) throws
        -> some ApplicationProtocol
    {
        func value(_ flag: String) -> String? {
            guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        let count = Int(value("--console-executions") ?? "") ?? 100_000
        let path = value("--console-database") ?? NSTemporaryDirectory() + "flowlang-console-bench.sqlite"
        for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let store = try SQLiteExecutionStore(path: path, maxRecords: count * 2, maxAge: .seconds(365 * 86400))
        try seed(count, path: path)
        logger.warning(
            "console benchmark store ready", metadata: [LogKey.executions: "\(count)", LogKey.path: "\(path)"])
        return buildApplication(
            catalog: catalog,
            configuration: ServerConfiguration(port: port, maxExecutionRecords: count * 2, requestLogLevel: nil),
            store: store,
            logger: logger
        )
    }

    /// `count` finished runs a second apart ending now: 90% completed, 8% failed, 2% cancelled, each with its
    /// events and every tenth with an idempotency key.
    static func seed(_ count: Int, path: String) throws {
        let database = try DatabaseQueue(path: path)
        let start = Date().addingTimeInterval(-Double(count))
        try database.write { db in
            for index in 0..<count {
                let id = ExecutionID(rawValue: String(format: "bench-%08d", index))
                var record = ExecutionRecord(
                    id: id, flowName: "Bench", mode: .async, inputs: ["user_name": .string("user \(index)")],
                    startTime: start.addingTimeInterval(Double(index)),
                    idempotencyKey: index % 10 == 0 ? "order-\(index)" : nil
                )
                let status: ExecutionResult.Status =
                    index % 50 == 0 ? .cancelled : index % 12 == 0 ? .failed : .completed
                let end = record.startTime.addingTimeInterval(0.012)
                let events = [
                    ExecutionEvent(
                        kind: .flowStarted, executionId: id, timestamp: record.startTime, data: ["flow": "Bench"]),
                    ExecutionEvent(
                        kind: .stepStarted, executionId: id, timestamp: record.startTime,
                        data: ["step_id": "validate", "task": "Echo"]),
                    ExecutionEvent(
                        kind: .stepCompleted, executionId: id, timestamp: end,
                        data: ["step_id": "validate", "outputs": ["valid": true]]),
                    ExecutionEvent(
                        kind: .flowCompleted, executionId: id, timestamp: end, data: ["outputs": ["message": "Hello"]]),
                ]
                let failure =
                    status == .failed ? ExecutionResult.Failure(message: "card declined", type: "PaymentDeclined") : nil
                let result = ExecutionResult(
                    executionId: id, flowName: "Bench", status: status, outputs: ["message": "Hello"], failure: failure)
                record.finish(with: result, events: events, at: end)
                try db.execute(
                    sql: """
                        INSERT INTO executions (id, flow, status, start_time, end_time, document, idempotency_key)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id.rawValue, "Bench", record.status.rawValue, record.startTime.timeIntervalSince1970,
                        end.timeIntervalSince1970,
                        record.storageJSON.jsonText, record.idempotencyKey,
                    ]
                )
            }
        }
    }
}
