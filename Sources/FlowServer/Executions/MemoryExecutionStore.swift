import DequeModule
public import FlowCore
public import Foundation
import Synchronization

/// An in-memory ``ExecutionStore`` bounded by count and age, so memory stays flat under endless load.
///
/// When over `maxRecords`, the records that finished first go first; records still running are never dropped,
/// however many there are. Finished records older than `maxAge` are dropped as new records arrive. Every
/// operation is O(1) amortised except listing, which walks from the newest record back.
public final class MemoryExecutionStore: ExecutionStore {
    private struct State {
        var records: [ExecutionID: ExecutionRecord] = [:]
        /// Ids oldest first, for listing; ids of dropped records stay until they are half of it.
        var order = Deque<ExecutionID>()
        /// Ids of finished records in the order they finished: the next to drop is first.
        var finished = Deque<ExecutionID>()
        /// The id of the kept execution with each flow's idempotency key.
        var keys: [IdempotencyKey: ExecutionID] = [:]

        /// Keeps `record`, new or changed.
        mutating func keep(_ record: ExecutionRecord) {
            if records.updateValue(record, forKey: record.id) == nil { order.append(record.id) }
            if record.status != .running { finished.append(record.id) }
        }
    }

    private struct IdempotencyKey: Hashable {
        var flow: String
        var key: String

        init?(_ record: ExecutionRecord) {
            guard let key = record.idempotencyKey else { return nil }
            self.flow = record.flowName
            self.key = key
        }
    }

    private let maxRecords: Int
    private let maxAge: Duration
    private let maxEventsPerRecord: Int
    private let state = Mutex(State())

    public init(maxRecords: Int = 1000, maxAge: Duration = .seconds(3600), maxEventsPerRecord: Int = 10_000) {
        self.maxRecords = max(1, maxRecords)
        self.maxAge = maxAge
        self.maxEventsPerRecord = max(0, maxEventsPerRecord)
    }

    public func create(_ record: ExecutionRecord) async throws {
        let record = bounded(record)
        state.withLock { state in
            state.keep(record)
            evict(&state)
        }
    }

    public func createOnce(_ record: ExecutionRecord) async throws -> ExecutionRecord {
        let record = bounded(record)
        return state.withLock { state in
            if let key = IdempotencyKey(record), let id = state.keys[key], let existing = state.records[id] {
                return existing
            }
            state.keep(record)
            if let key = IdempotencyKey(record) { state.keys[key] = record.id }
            evict(&state)
            return record
        }
    }

    public func requestCancel(id: ExecutionID, reason: String) async throws -> ExecutionRecord? {
        state.withLock { state in
            guard var record = state.records[id] else { return nil }
            guard (try? record.apply(.requestCancel(reason: reason))) != nil else { return record }
            state.records[id] = record
            return record
        }
    }

    public func finish(id: ExecutionID, result: ExecutionResult, events: [ExecutionEvent], at time: Date) async throws
        -> ExecutionRecord
    {
        try state.withLock { state throws(ExecutionTransitionError) in
            guard var record = state.records[id] else {
                throw ExecutionTransitionError(executionId: id, status: nil, transition: "finish")
            }
            try record.apply(.finish(result: result, events: events, at: time))
            record = bounded(record)
            state.keep(record)
            evict(&state)
            return record
        }
    }

    /// `record` with at most `maxEventsPerRecord` events: the first ones and those that end the run.
    private func bounded(_ record: ExecutionRecord) -> ExecutionRecord {
        guard record.events.count > maxEventsPerRecord else { return record }
        var record = record
        record.events = record.events.capped(to: maxEventsPerRecord)
        return record
    }

    /// Drops the records that finished first while there are more than `maxRecords`, and those finished longer
    /// than `maxAge` ago; then clears dropped ids out of the listing order once they are half of it.
    private func evict(_ state: inout State) {
        let cutoff = Date().addingTimeInterval(-Double(maxAge.components.seconds))
        while let first = state.finished.first {
            guard let candidate = state.records[first] else {
                state.finished.removeFirst()
                continue
            }
            let expired = candidate.endTime.map { $0 < cutoff } ?? false
            guard state.records.count > maxRecords || expired else { break }
            state.finished.removeFirst()
            state.records[first] = nil
            if let key = IdempotencyKey(candidate), state.keys[key] == first { state.keys[key] = nil }
        }
        if state.order.count > 2 * max(state.records.count, maxRecords) {
            let records = state.records
            state.order.removeAll { records[$0] == nil }
        }
    }

    public func record(id: ExecutionID) async throws -> ExecutionRecord? {
        state.withLock { $0.records[id] }
    }

    public func records(flow: String?, limit: Int) async throws -> [ExecutionRecord] {
        state.withLock { state in
            var newestFirst: [ExecutionRecord] = []
            for id in state.order.reversed() where newestFirst.count < max(0, limit) {
                guard let record = state.records[id], flow == nil || record.flowName == flow else { continue }
                newestFirst.append(record)
            }
            return newestFirst.sorted { $0.startTime < $1.startTime }
        }
    }

    /// How many records are kept right now.
    public var count: Int { state.withLock { $0.records.count } }
}
