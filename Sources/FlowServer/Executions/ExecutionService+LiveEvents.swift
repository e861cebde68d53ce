import FlowCore
import Logging

/// Sharing the events of running executions with the instances that do not run them (stores whose runs several
/// instances share): they stream them from the store.
extension ExecutionService {
    /// How often the events of running executions go to the store.
    static let liveEventsInterval: Duration = .milliseconds(250)

    /// Writes the new events of every execution running here to the store, every `interval`, until graceful
    /// shutdown.
    func shareLiveEvents(every interval: Duration) async {
        await repeatUntilShutdown(every: interval) { [self] in
            for (id, first, events) in live.takeUnsharedEvents() {
                do {
                    try await stored("live_events") {
                        try await store.appendLiveEvents(events, from: first, execution: id)
                    }
                } catch {
                    logger.warning(
                        "could not share live events",
                        metadata: [LogKey.executionId: "\(id)", LogKey.error: "\(error)"])
                }
            }
        }
    }
}
