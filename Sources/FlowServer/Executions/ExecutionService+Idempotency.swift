public import FlowCore
import Foundation
import Logging
import OrderedCollections

/// An `Idempotency-Key` already names an execution of the flow, started with other inputs.
public struct IdempotencyKeyConflict: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var executionId: ExecutionID

    public var description: String {
        "Idempotency-Key '\(key)' was already used for execution \(executionId) with different inputs; "
            + "use a new key for new inputs"
    }
}

extension ExecutionService {
    /// What storing a keyed execution found.
    enum Reservation: Sendable {
        /// The record was stored: the caller runs it.
        case new(ExecutionRecord)
        /// The key already names this execution of the flow, with the same inputs: nothing was stored.
        case existing(ExecutionRecord)
        /// The store could not be asked (it is down): a run whose client waits for its end may go on unrecorded;
        /// one to be answered 202 may not (``ExecutionNotRecorded``).
        case unrecorded(ExecutionRecord)
    }

    /// Stores a new running record of `flow` holding `idempotencyKey`, unless the flow already has an execution
    /// with that key (kept within the retention settings): then returns it. Concurrent requests with one key
    /// store one record; the others get it as `.existing`.
    ///
    /// - Throws: ``IdempotencyKeyConflict`` when the key's execution had other inputs.
    func reserve(
        _ flow: ServedFlow,
        inputs: OrderedDictionary<String, FlowValue>,
        mode: ExecutionRecord.Mode,
        idempotencyKey: String,
        id: ExecutionID? = nil
    ) async throws(IdempotencyKeyConflict) -> Reservation {
        let record = ExecutionRecord(
            id: id ?? ExecutionID.next(),
            flowName: flow.name,
            flowVersion: flow.version,
            mode: mode,
            inputs: inputs,
            idempotencyKey: idempotencyKey
        )
        let stored: ExecutionRecord
        do {
            stored = try await self.stored("create_once") { try await store.createOnce(record) }
        } catch {
            logger.error(
                "could not store a new execution",
                metadata: [LogKey.executionId: "\(record.id)", LogKey.error: "\(error)"])
            return .unrecorded(record)
        }
        guard stored.id != record.id else { return .new(record) }
        guard stored.inputs == record.inputs else {
            throw IdempotencyKeyConflict(key: idempotencyKey, executionId: stored.id)
        }
        return .existing(stored)
    }

    /// `record` once it has ended, when it runs in this process; otherwise as it is now.
    func finished(_ record: ExecutionRecord) async -> ExecutionRecord {
        guard record.status == .running, let following = follow(id: record.id) else { return record }
        await following.untilEnded()
        return (try? await store.record(id: record.id)) ?? record
    }
}
