import Synchronization

/// When this instance last renewed the leases of the runs it holds, to tell whether another instance can have taken
/// one over (``PostgresExecutionStore/leasesAreFresh``) without asking the database.
///
/// A renewal skips rows locked at that moment, so a run's lease is known to reach only from the renewal before the
/// last one (or from when the store started, which runs created or claimed since have leases from) plus the lease.
/// An instance paused past its leases (SIGSTOP, a frozen VM) wakes with both renewals stale, and stays so until two
/// renewals later, long after its next journal write told it whether its runs are still its own.
final class LeaseRenewals: Sendable {
    private let renewals = Mutex<(previous: ContinuousClock.Instant, last: ContinuousClock.Instant)?>(nil)

    /// The store started at `instant`: the runs it holds from then on have leases from then or later.
    func started(at instant: ContinuousClock.Instant) {
        renewals.withLock { $0 = (instant, instant) }
    }

    /// A renewal begun at `instant` succeeded.
    func renewed(at instant: ContinuousClock.Instant) {
        renewals.withLock { renewals in
            guard let last = renewals?.last else { return }
            renewals = (last, instant)
        }
    }

    /// Whether every lease of a run held here, `lease` long, is certain to last past `instant` by a sixth of a
    /// lease; false before the store started.
    func fresh(at instant: ContinuousClock.Instant, lease: Duration) -> Bool {
        guard lease > .zero, let previous = renewals.withLock({ $0?.previous }) else { return false }
        return instant < previous + lease - lease / 6
    }
}
