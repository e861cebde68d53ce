import FlowCore
import Foundation
import Logging

/// Recording a run in the store: its creation, and its end (or its hand-over, when it goes on elsewhere).
extension ExecutionService {
    /// Stores how the run of `record` ended, unless it was handed over, and returns its finished record.
    func store(
        _ result: ExecutionResult,
        of record: inout ExecutionRecord,
        signal: CancellationSignal,
        flowMetrics: FlowMetrics?
    ) async -> ExecutionRecord {
        flowMetrics?.finished(result.status, after: result.duration)
        if signal.isHandedOver {
            // The run goes on elsewhere (another instance, or this server's next start): nothing is stored.
            storeMetrics?.handedOver()
            await release(record.id)
            record.finish(with: result, events: live.events(id: record.id), at: Date())
            live.end(id: record.id)
            logger.info(
                "execution handed over",
                metadata: [LogKey.executionId: "\(record.id)", LogKey.reason: "\(result.reason ?? "")"])
            return record
        }
        // `cancel(id:reason:)` signalled this reason and asked the store to record it.
        if let reason = signal.reason, record.cancelReason == nil { record.cancelReason = reason }
        // The execution stays live until its finished record is stored, so followers and `/health`
        // never see a gap between "running" and the stored result.
        let events = live.events(id: record.id)
        let finishedAt = Date()
        do {
            record = try await stored("finish") { [record] in
                try await store.finish(record, result: result, events: events, at: finishedAt)
            }
        } catch let lost as LeaseLostError {
            logger.warning(
                "another instance holds this execution now",
                metadata: [LogKey.executionId: "\(record.id)", LogKey.owner: "\(lost.owner ?? "none")"])
            record.finish(with: result, events: events, at: finishedAt)
        } catch {
            logger.error(
                "could not store a finished execution",
                metadata: [LogKey.executionId: "\(record.id)", LogKey.error: "\(error)"])
            record.finish(with: result, events: events, at: finishedAt)
        }
        live.end(id: record.id)
        log.finished(record, result: result)
        return record
    }

    /// Stores the new `record`; false (logged) when the store failed.
    @discardableResult
    func create(_ record: ExecutionRecord) async -> Bool {
        do {
            try await stored("create") { try await store.create(record) }
            return true
        } catch {
            logger.error(
                "could not store a new execution",
                metadata: [LogKey.executionId: "\(record.id)", LogKey.error: "\(error)"])
            return false
        }
    }
}
