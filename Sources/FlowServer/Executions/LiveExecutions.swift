import FlowCore
import Foundation
import Hummingbird
import Synchronization

/// Executions running right now: their cancellation signals, their events so far, and live followers.
///
/// Each execution has its own lock for its events, so concurrent executions never contend on one another;
/// the shared table is touched only to start, end, find and cancel them.
final class LiveExecutions: Sendable {
    /// One running execution's events and followers.
    private final class Live: Sendable {
        let signal = CancellationSignal()
        /// Whether it runs in the background (started asynchronously or resumed), with no request waiting.
        let isBackground: Bool
        private let maxEvents: Int
        private let state = Mutex<
            (events: [ExecutionEvent], followers: [UUID: AsyncStream<ExecutionEvent>.Continuation])
        >(
            ([], [:])
        )

        init(maxEvents: Int, isBackground: Bool) {
            self.maxEvents = maxEvents
            self.isBackground = isBackground
        }

        func append(_ event: ExecutionEvent) {
            let followers = state.withLock { state in
                // Past the cap, only the events that end the run are kept, so a replay still ends as it did.
                if state.events.count < maxEvents || event.endsRun { state.events.append(event) }
                return Array(state.followers.values)
            }
            for follower in followers { follower.yield(event) }
        }

        var events: [ExecutionEvent] { state.withLock { $0.events } }

        /// The Server-Sent Events frames of its events by position, each encoded once however many clients follow
        /// the run (every live console page is one).
        private let frames = Mutex<[Int: ByteBuffer]>([:])

        /// The frame of `event`, the `position`th (from 1) of the run.
        func frame(_ event: ExecutionEvent, position: Int) -> ByteBuffer {
            if let frame = frames.withLock({ $0[position] }) { return frame }
            let frame = ServerSentEvents.frame(event, position: position)
            frames.withLock { $0[position] = frame }
            return frame
        }

        /// How many of ``events`` went to the store for other instances.
        private let shared = Mutex(0)

        /// The events not yet shared, and the position (from 1) of the first; only one caller at a time.
        func takeUnshared() -> (first: Int, events: [ExecutionEvent]) {
            let all = events
            return shared.withLock { count in
                defer { count = all.count }
                return (count + 1, Array(all.dropFirst(count)))
            }
        }

        func follow(_ token: UUID, _ continuation: AsyncStream<ExecutionEvent>.Continuation) -> [ExecutionEvent] {
            state.withLock { state in
                state.followers[token] = continuation
                return state.events
            }
        }

        func unfollow(_ token: UUID) {
            _ = state.withLock { $0.followers.removeValue(forKey: token) }
        }

        func finish() {
            let followers = state.withLock { state in
                defer { state.followers.removeAll() }
                return Array(state.followers.values)
            }
            for follower in followers { follower.finish() }
        }
    }

    private let live = Mutex<[ExecutionID: Live]>([:])
    private let maxEvents: Int

    init(maxEventsPerExecution: Int) {
        self.maxEvents = maxEventsPerExecution
    }

    /// Registers a starting execution; its observer feeds events here. `background`: no request waits for it.
    func begin(id: ExecutionID, flow: String, background: Bool = false) -> (CancellationSignal, any ExecutionObserver) {
        let entry = Live(maxEvents: maxEvents, isBackground: background)
        live.withLock { $0[id] = entry }
        return (entry.signal, Observer(live: entry))
    }

    /// The events of a running execution so far: the first `maxEventsPerExecution` and those that end the run.
    func events(id: ExecutionID) -> [ExecutionEvent] {
        live.withLock { $0[id] }?.events ?? []
    }

    /// Ends an execution: it is no longer live and its followers finish.
    func end(id: ExecutionID) {
        live.withLock { $0.removeValue(forKey: id) }?.finish()
    }

    /// Requests cancellation of a running execution; false when it is not running here.
    func cancel(id: ExecutionID, reason: String) -> Bool {
        guard let entry = live.withLock({ $0[id] }) else { return false }
        entry.signal.cancel(reason: reason)
        return true
    }

    /// The events so far, a stream of the rest, and their frames (``Live/frame(_:position:)``), or nil when the
    /// execution is not running.
    func follow(id: ExecutionID) -> (
        past: [ExecutionEvent], upcoming: AsyncStream<ExecutionEvent>,
        frame: @Sendable (ExecutionEvent, Int) -> ByteBuffer
    )? {
        guard let entry = live.withLock({ $0[id] }) else { return nil }
        let (stream, continuation) = AsyncStream.makeStream(of: ExecutionEvent.self)
        let token = UUID()
        let past = entry.follow(token, continuation)
        continuation.onTermination = { _ in entry.unfollow(token) }
        // An execution that ended between the lookup and the registration has already finished its followers.
        if live.withLock({ $0[id] }) == nil { continuation.finish() }
        return (past, stream, { entry.frame($0, position: $1) })
    }

    /// Hands over every background execution (see ``FlowCore/CancellationSignal/handOver(reason:)``) and returns
    /// their ids, those not started yet included.
    func handOverBackground(reason: String) -> [ExecutionID] {
        let background = live.withLock { $0.filter { $0.value.isBackground } }
        for entry in background.values { entry.signal.handOver(reason: reason) }
        return Array(background.keys)
    }

    /// The ids of the executions live here.
    var ids: [ExecutionID] { live.withLock { Array($0.keys) } }

    /// The events each live execution has that were not shared yet, with the position of the first.
    func takeUnsharedEvents() -> [(id: ExecutionID, first: Int, events: [ExecutionEvent])] {
        live.withLock { Array($0) }.compactMap { id, entry in
            let (first, events) = entry.takeUnshared()
            return events.isEmpty ? nil : (id, first, events)
        }
    }

    /// Whether `id` is live here.
    func isLive(id: ExecutionID) -> Bool { live.withLock { $0[id] != nil } }

    /// How many executions are running.
    var count: Int { live.withLock { $0.count } }

    private struct Observer: ExecutionObserver {
        let live: Live

        func receive(_ event: ExecutionEvent) {
            live.append(event)
        }
    }
}
