public import FlowCore
import Logging
import ServiceLifecycle

extension ExecutionService {
    /// Requests cancellation of a running execution; false when it is not running, here or (with a store whose
    /// runs several instances share) at the instance holding it, which acts on the stored request within
    /// ``cancelPollInterval``.
    public func cancel(id: ExecutionID, reason: String) async -> Bool {
        guard live.cancel(id: id, reason: reason) else { return await requestCancelElsewhere(id: id, reason: reason) }
        do {
            _ = try await stored("request_cancel") { try await store.requestCancel(id: id, reason: reason) }
        } catch {
            logger.error(
                "could not record a cancel request", metadata: [LogKey.executionId: "\(id)", LogKey.error: "\(error)"])
        }
        return true
    }

    private func requestCancelElsewhere(id: ExecutionID, reason: String) async -> Bool {
        guard store.sharesRuns else { return false }
        do {
            return try await stored("request_cancel") { try await store.requestCancel(id: id, reason: reason) }?.status
                == .running
        } catch {
            logger.error(
                "could not record a cancel request", metadata: [LogKey.executionId: "\(id)", LogKey.error: "\(error)"])
            return false
        }
    }

    /// How often an instance sharing its store's runs looks for cancel requests other instances stored.
    static let cancelPollInterval: Duration = .milliseconds(250)

    /// Cancels the runs held here whose cancellation another instance stored, every `interval`, until graceful
    /// shutdown.
    func watchCancelRequests(every interval: Duration) async {
        await repeatUntilShutdown(every: interval) { [self] in await actOnCancelRequests() }
    }

    /// Cancels the runs held here whose cancellation another instance stored.
    func actOnCancelRequests() async {
        let ids = live.ids
        guard !ids.isEmpty else { return }
        do {
            for (id, reason) in try await stored("cancel_requests", { try await store.cancelRequests(among: ids) }) {
                _ = live.cancel(id: id, reason: reason)
            }
        } catch {
            logger.warning("could not read cancel requests", metadata: [LogKey.error: "\(error)"])
        }
    }

    /// Acts on the store's ``StoreNotice``s as they come, until graceful shutdown: claims runs, or reads cancel
    /// requests, without waiting for the next poll.
    func actOnNotices(_ notices: AsyncStream<StoreNotice>) async {
        await cancelWhenGracefulShutdown { [self] in
            for await notice in notices {
                switch notice {
                case .runsToClaim: await resumeInterrupted()
                case .cancelRequested: await actOnCancelRequests()
                }
            }
        }
    }
}
