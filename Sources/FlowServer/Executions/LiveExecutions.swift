import FlowCore
import Foundation
import Synchronization

/// Executions running right now: their cancellation signals, their events so far, and live followers.
final class LiveExecutions: Sendable {
    private struct Live {
        var flow: String
        var signal: CancellationSignal
        var events: [ExecutionEvent] = []
        var followers: [UUID: AsyncStream<ExecutionEvent>.Continuation] = [:]
    }

    private let live = Mutex<[String: Live]>([:])
    private let maxEvents: Int

    init(maxEventsPerExecution: Int) {
        self.maxEvents = maxEventsPerExecution
    }

    /// Registers a starting execution; its observer feeds events here.
    func begin(id: String, flow: String) -> (CancellationSignal, any ExecutionObserver) {
        let signal = CancellationSignal()
        live.withLock { $0[id] = Live(flow: flow, signal: signal) }
        return (signal, Observer(executions: self, id: id))
    }

    /// The events of a running execution so far.
    func events(id: String) -> [ExecutionEvent] {
        live.withLock { $0[id]?.events ?? [] }
    }

    /// Ends an execution: it is no longer live and its followers finish.
    func end(id: String) {
        guard let ended = live.withLock({ $0.removeValue(forKey: id) }) else { return }
        for follower in ended.followers.values { follower.finish() }
    }

    /// Requests cancellation of a running execution; false when it is not running here.
    func cancel(id: String, reason: String) -> Bool {
        guard let signal = live.withLock({ $0[id]?.signal }) else { return false }
        signal.cancel(reason: reason)
        return true
    }

    /// The events so far and a stream of the rest, or nil when the execution is not running.
    func follow(id: String) -> (past: [ExecutionEvent], upcoming: AsyncStream<ExecutionEvent>)? {
        let (stream, continuation) = AsyncStream.makeStream(of: ExecutionEvent.self)
        let token = UUID()
        let past = live.withLock { live -> [ExecutionEvent]? in
            guard live[id] != nil else { return nil }
            live[id]?.followers[token] = continuation
            return live[id]?.events
        }
        guard let past else { return nil }
        continuation.onTermination = { [weak self] _ in
            _ = self?.live.withLock { $0[id]?.followers.removeValue(forKey: token) }
        }
        return (past, stream)
    }

    /// How many executions are running.
    var count: Int { live.withLock { $0.count } }

    private func append(_ event: ExecutionEvent, to id: String) {
        let followers = live.withLock { live -> [AsyncStream<ExecutionEvent>.Continuation] in
            guard live[id] != nil else { return [] }
            if live[id]?.events.count ?? 0 < maxEvents { live[id]?.events.append(event) }
            return live[id].map { Array($0.followers.values) } ?? []
        }
        for follower in followers { follower.yield(event) }
    }

    private struct Observer: ExecutionObserver {
        let executions: LiveExecutions
        let id: String

        func receive(_ event: ExecutionEvent) {
            executions.append(event, to: id)
        }
    }
}
