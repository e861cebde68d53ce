import Synchronization

/// A clock whose sleeps return at once while time jumps ahead, recording each requested duration.
///
/// Use it to check retry delays without waiting: `clock.requestedSleeps == [.seconds(1), .seconds(2)]`.
public final class ImmediateClock: Clock, Sendable {
    public typealias Instant = ManualClock.Instant

    private struct State {
        var now = Instant(offset: .zero)
        var requested: [Duration] = []
    }

    private let state = Mutex(State())

    public init() {}

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .zero }

    /// Every sleep duration requested so far, in order.
    public var requestedSleeps: [Duration] { state.withLock { $0.requested } }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.requested.append(state.now.duration(to: deadline))
            if state.now < deadline { state.now = deadline }
        }
        await Task.yield()
        try Task.checkCancellation()
    }
}
