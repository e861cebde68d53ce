/// A hint from a store whose runs several instances share that another instance changed something this one may
/// act on at once rather than at its next poll. Hints may be lost (a dropped connection) or repeated: the
/// tables stay the truth, and the polls go on.
public enum StoreNotice: Sendable, Equatable {
    /// A run may be waiting for an instance to claim it: queued, handed back, or the notices were interrupted.
    case runsToClaim
    /// Cancellation of a run may have been requested at another instance.
    case cancelRequested
}
