import Synchronization

/// Whether graceful shutdown has begun; `/ready` answers 503 from that moment while in-flight requests
/// and executions finish.
final class ShutdownState: Sendable {
    private let began = Mutex(false)

    var isShuttingDown: Bool { began.withLock { $0 } }

    func beginShutdown() {
        began.withLock { $0 = true }
    }
}
