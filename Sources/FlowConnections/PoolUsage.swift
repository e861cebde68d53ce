import CoreMetrics
import FlowCore
import Synchronization

/// One pool's live usage: leases in use, how long leases waited, and whether the last attempt to connect
/// worked; mirrored into `flowlang_db_pool_*` metrics when the pools have a metrics factory.
final class PoolUsage: Sendable {
    private struct Counts {
        var inUse = 0
        var leases = 0
        var totalWait: Duration = .zero
        var failure: String?
        var isClosed = false
    }

    let size: Int
    private let counts = Mutex(Counts())
    private let inUseMeter: CoreMetrics.Meter?
    private let waitTimer: CoreMetrics.Timer?

    init(connection: String, size: Int, metrics: (any MetricsFactory)?) {
        self.size = size
        let dimensions = [("connection", connection)]
        if let metrics {
            CoreMetrics.Meter(label: "flowlang_db_pool_size", dimensions: dimensions, factory: metrics).set(size)
            inUseMeter = CoreMetrics.Meter(label: "flowlang_db_pool_in_use", dimensions: dimensions, factory: metrics)
            waitTimer = CoreMetrics.Timer(
                label: "flowlang_db_pool_wait_seconds", dimensions: dimensions, factory: metrics)
        } else {
            inUseMeter = nil
            waitTimer = nil
        }
    }

    /// A lease began after waiting `wait` for a connection.
    func acquired(after wait: Duration) {
        let inUse = counts.withLock { counts in
            counts.inUse += 1
            counts.leases += 1
            counts.totalWait += wait
            counts.failure = nil
            return counts.inUse
        }
        inUseMeter?.set(inUse)
        waitTimer?.recordNanoseconds(
            wait.components.seconds * 1_000_000_000 + wait.components.attoseconds / 1_000_000_000)
    }

    /// A lease ended, however its work did.
    func released() {
        let inUse = counts.withLock { counts in
            counts.inUse -= 1
            return counts.inUse
        }
        inUseMeter?.set(inUse)
    }

    /// No connection could be had, for `reason` (never with a password).
    func failed(_ reason: String) {
        counts.withLock { $0.failure = reason }
    }

    func closed() {
        counts.withLock { $0.isClosed = true }
    }

    var status: ConnectionStatus {
        counts.withLock { counts in
            let state: ConnectionStatus.State =
                counts.isClosed ? .closed : counts.failure.map(ConnectionStatus.State.failing) ?? .open
            return ConnectionStatus(
                state: state, size: size, inUse: counts.inUse, leases: counts.leases, totalWait: counts.totalWait)
        }
    }
}
