import FlowCore
import Logging
import ServiceLifecycle

/// Waits for graceful shutdown, then marks the server not ready (`/ready` answers 503) and waits `period`
/// before it ends, so the services before it in its group keep serving while load balancers notice.
struct ReadinessDrain: Service {
    let shutdown: ShutdownState
    let period: Duration
    let clock: any Clock<Duration>
    let logger: Logger

    func run() async throws {
        // Cancelled before any graceful shutdown: the group is being torn down and there is nothing to drain.
        guard (try? await gracefulShutdown()) != nil else { return }
        shutdown.beginShutdown()
        logger.info("graceful shutdown started; /ready answers 503", metadata: [LogKey.drain: "\(period)"])
        if period > .zero { try await clock.sleep(for: period) }
    }
}
