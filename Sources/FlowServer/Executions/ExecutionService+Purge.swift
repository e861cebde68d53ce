import FlowCore
import Foundation
import Logging

extension ExecutionService {
    /// Deletes the finished records beyond the store's retention every `interval` (its
    /// ``ExecutionStore/purgeInterval``), off the path of the runs, until graceful shutdown.
    func purgeFinished(every interval: Duration) async {
        await repeatUntilShutdown(every: interval) { [self] in
            do {
                _ = try await stored("purge") { try await store.purge(at: Date()) }
            } catch {
                logger.warning("could not delete old execution records", metadata: [LogKey.error: "\(error)"])
            }
        }
    }
}
