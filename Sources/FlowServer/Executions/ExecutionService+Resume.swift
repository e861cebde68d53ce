import FlowCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

extension ExecutionService {
    /// Takes over the runs a server that stopped left unfinished, and queues each to resume from its journal;
    /// the application calls it before it serves requests, so they are live (cancel, follow) from the start.
    ///
    /// Runs of a flow this server does not serve (in that version) are failed, since nothing here can finish
    /// them. Runs start in the order the store returns them, counted against the execution limit. With a store
    /// whose runs instances share, an instance claims only as many as it has room for under the limit (the
    /// others wait for an instance with room, queued runs included); a store of its own is emptied at start.
    func resumeInterrupted() async {
        // A server shutting down claims nothing: it would claim back the runs it hands back.
        guard let catalog, store.keepsJournal, !Task.isCancelled else { return }
        let limit = store.sharesRuns ? admission.room ?? .max : .max
        guard limit > 0 else { return }
        // One claim at a time, so two cannot both fill the same room; a notice arriving meanwhile is served by the
        // claim under way or the next sweep.
        let claims = claiming.withLock { claiming in
            guard !claiming else { return false }
            claiming = true
            return true
        }
        guard claims else { return }
        defer { claiming.withLock { $0 = false } }
        let claimed: [ExecutionRecord]
        do {
            claimed = try await stored("claim") {
                try await store.claimInterrupted(maxResumes: maxResumes, limit: limit, at: Date())
            }
        } catch {
            logger.error("could not look for interrupted executions to resume", metadata: [LogKey.error: "\(error)"])
            return
        }
        for record in claimed {
            // Claimed as the shutdown began: handed back with the runs this server holds, released for another
            // instance once the service's tasks have ended (``run()``). A release from this task, cancelled, would
            // be cancelled too, and the run would wait for its lease to run out.
            if Task.isCancelled {
                _ = live.begin(id: record.id, flow: record.flowName, background: true)
                continue
            }
            await resume(record, catalog: catalog)
        }
    }

    /// Claims and runs the runs nobody holds every `interval` (the store's ``ExecutionStore/sweepInterval``: runs
    /// queued by busy instances, handed back, or of instances that died while this one runs) until graceful
    /// shutdown.
    func sweepInterrupted(every interval: Duration) async {
        await repeatUntilShutdown(every: interval) { [self] in await resumeInterrupted() }
    }

    /// Runs `body` every `interval` of the service's clock until graceful shutdown (or cancellation).
    func repeatUntilShutdown(every interval: Duration, _ body: @escaping @Sendable () async -> Void) async {
        await cancelWhenGracefulShutdown { [self] in
            while !Task.isCancelled {
                do {
                    try await clock.sleep(for: interval)
                } catch {
                    return
                }
                await body()
            }
        }
    }

    private func resume(_ record: ExecutionRecord, catalog: FlowCatalog) async {
        let served =
            record.flowVersion.map { catalog.flow(named: record.flowName, version: $0) }
            ?? catalog.flow(named: record.flowName)
        guard let flow = served, flow.version == record.flowVersion else {
            let version = record.flowVersion.map { " version \($0)" } ?? ""
            await fail(
                record,
                "The server stopped before this execution finished, and flow '\(record.flowName)'\(version) is not "
                    + "served here to resume it"
            )
            return
        }
        let journaled: [StepJournalEntry]
        do {
            journaled = try await stored("journal_read") { try await store.journal(id: record.id) }
        } catch {
            await fail(
                record,
                "The server stopped before this execution finished, and its step journal cannot be read: \(error)")
            return
        }
        logger.info(
            "resuming an interrupted execution",
            metadata: [
                LogKey.executionId: "\(record.id)", LogKey.flow: "\(record.flowName)",
                LogKey.journaledSteps: "\(journaled.count)",
                LogKey.resumes: "\(record.resumes)",
            ]
        )
        storeMetrics?.resumed()
        let permit = admission.unconditionalPermit()
        let registration = live.begin(id: record.id, flow: flow.name, background: true)
        // Its cancellation was requested before it was interrupted, or while no instance held it: it ends now,
        // cancelled before its next step, rather than running on until a cancel watch finds the request.
        if let reason = record.cancelReason { _ = live.cancel(id: record.id, reason: reason) }
        enqueue(
            Job { [self] in
                var running = record
                _ = await run(
                    flow, record: &running, registration: registration, extraObservers: [], journaled: journaled)
                permit?.release()
            }
        )
    }

    /// Ends an interrupted run that cannot be resumed, failed with `message`.
    private func fail(_ record: ExecutionRecord, _ message: String) async {
        let failure = ExecutionResult.Failure(message: message, type: "ExecutionInterrupted")
        let result = ExecutionResult(
            executionId: record.id, flowName: record.flowName, status: .failed, failure: failure)
        do {
            _ = try await stored("finish") {
                try await store.finish(id: record.id, result: result, events: record.events, at: Date())
            }
            logger.warning(
                "an interrupted execution cannot be resumed",
                metadata: [
                    LogKey.executionId: "\(record.id)", LogKey.flow: "\(record.flowName)", LogKey.reason: "\(message)",
                ]
            )
        } catch {
            logger.error(
                "could not store an interrupted execution",
                metadata: [LogKey.executionId: "\(record.id)", LogKey.error: "\(error)"])
        }
    }
}
