import Foundation
import OrderedCollections
import Synchronization

/// An in-memory ``ExecutionStore`` bounded by count and age, so memory stays flat under endless load.
///
/// When over `maxRecords`, the oldest finished records go first; records still running are never dropped.
/// Finished records older than `maxAge` are dropped as new records arrive.
public final class MemoryExecutionStore: ExecutionStore {
    private let maxRecords: Int
    private let maxAge: Duration
    private let maxEventsPerRecord: Int
    private let records = Mutex<OrderedDictionary<String, ExecutionRecord>>([:])

    public init(maxRecords: Int = 1000, maxAge: Duration = .seconds(3600), maxEventsPerRecord: Int = 10_000) {
        self.maxRecords = max(1, maxRecords)
        self.maxAge = maxAge
        self.maxEventsPerRecord = max(0, maxEventsPerRecord)
    }

    public func save(_ record: ExecutionRecord) async throws {
        var record = record
        if record.events.count > maxEventsPerRecord { record.events = Array(record.events.suffix(maxEventsPerRecord)) }
        let cutoff = Date().addingTimeInterval(-Double(maxAge.components.seconds))
        records.withLock { records in
            records[record.id] = record
            if records.count > maxRecords {
                var excess = records.count - maxRecords
                var index = 0
                while excess > 0 && index < records.count {
                    if records.values[index].status != .running {
                        records.remove(at: index)
                        excess -= 1
                    } else {
                        index += 1
                    }
                }
            }
            while let first = records.values.first, first.status != .running, let end = first.endTime, end < cutoff {
                records.removeFirst()
            }
        }
    }

    public func record(id: String) async throws -> ExecutionRecord? {
        records.withLock { $0[id] }
    }

    public func records(flow: String?, limit: Int) async throws -> [ExecutionRecord] {
        records.withLock { records in
            let matching = flow.map { name in records.values.filter { $0.flowName == name } } ?? Array(records.values)
            return Array(matching.suffix(max(0, limit)))
        }
    }

    /// How many records are kept right now.
    public var count: Int { records.withLock { $0.count } }
}
