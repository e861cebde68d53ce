import FlowCore
import NIOCore

/// A reader of one running execution's events, from the first on, at its own pace: a live `…/events` stream. It
/// keeps reading what the run left after the run ended.
struct Following: Sendable {
    fileprivate let live: LiveExecutions.Live

    init(_ live: LiveExecutions.Live) {
        self.live = live
    }

    /// The events after the first `count`, waiting for one when there are none yet; empty once the run ended and
    /// every event was read, or when the calling task is cancelled.
    func events(after count: Int) async -> [ExecutionEvent] {
        await live.events(after: count)
    }

    /// The events after the first `count` there are now, without waiting.
    func available(after count: Int) -> [ExecutionEvent] {
        live.available(after: count)
    }

    /// The Server-Sent Events frame of `event`, the `position`th (from 1) of the run, encoded once however many
    /// clients follow it.
    func frame(_ event: ExecutionEvent, position: Int) -> ByteBuffer {
        live.frame(event, position: position)
    }

    /// Waits until the run ended.
    func untilEnded() async {
        var count = 0
        while case let events = await events(after: count), !events.isEmpty { count += events.count }
    }
}
