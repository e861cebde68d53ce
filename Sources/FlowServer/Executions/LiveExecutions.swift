import FlowCore
import Foundation
import Hummingbird
import Synchronization

/// Executions running right now: their cancellation signals, their events so far, and live followers.
///
/// Each execution has its own lock for its events, so concurrent executions never contend on one another;
/// the shared table is touched only to start, end, find and cancel them.
final class LiveExecutions: Sendable {
    /// One running execution's events, and the followers waiting for more.
    final class Live: Sendable {
        let signal = CancellationSignal()
        /// Whether it runs in the background (started asynchronously or resumed), with no request waiting.
        let isBackground: Bool
        private let maxEvents: Int

        private struct State {
            var events: [ExecutionEvent] = []
            var ended = false
            /// Followers that read every event and wait for the next, by token.
            var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
        }

        private let state = Mutex(State())

        init(maxEvents: Int, isBackground: Bool) {
            self.maxEvents = maxEvents
            self.isBackground = isBackground
        }

        /// Keeps `event` and wakes the followers waiting for it: a follower reading at its own pace costs the run
        /// nothing, one that waits costs one wake-up.
        func append(_ event: ExecutionEvent) {
            let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                // Past the cap, only the events that end the run are kept, so a replay still ends as it did.
                guard state.events.count < maxEvents || event.endsRun else { return [] }
                state.events.append(event)
                guard !state.waiters.isEmpty else { return [] }
                defer { state.waiters = [:] }
                return Array(state.waiters.values)
            }
            for waiter in waiters { waiter.resume() }
        }

        /// The events after the first `count` there are now.
        func available(after count: Int) -> [ExecutionEvent] {
            state.withLock { state in count < state.events.count ? Array(state.events[count...]) : [] }
        }

        /// The events after the first `count`, waiting for one when there are none yet; empty once the run ended
        /// and every event was read, or when the calling task is cancelled.
        func events(after count: Int) async -> [ExecutionEvent] {
            let token = UUID()
            while !Task.isCancelled {
                let ready: [ExecutionEvent]? = state.withLock { state in
                    count < state.events.count ? Array(state.events[count...]) : state.ended ? [] : nil
                }
                if let ready { return ready }
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                        let waits = state.withLock { state in
                            guard count >= state.events.count, !state.ended, !Task.isCancelled else { return false }
                            state.waiters[token] = waiter
                            return true
                        }
                        if !waits { waiter.resume() }
                    }
                } onCancel: {
                    state.withLock { $0.waiters.removeValue(forKey: token) }?.resume()
                }
            }
            return []
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

        /// No more events come: followers read what is left, then stop.
        func finish() {
            let waiters = state.withLock { state in
                state.ended = true
                defer { state.waiters = [:] }
                return Array(state.waiters.values)
            }
            for waiter in waiters { waiter.resume() }
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

    /// A follower of execution `id`, or nil when it is not running here.
    func follow(id: ExecutionID) -> Following? {
        live.withLock { $0[id] }.map(Following.init)
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
