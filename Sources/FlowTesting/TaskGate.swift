public import FlowCore
import Synchronization

/// Holds task calls until the test lets them go: the test sees each call arrive with its inputs, can wait
/// until several are held at once, and opens the gate for one call or for all.
///
/// ```swift
/// let gate = TaskGate()
/// var registry = TaskRegistry()
/// gate.register("Charge", in: &registry)
/// // … start a run …
/// var arrivals = gate.started.makeAsyncIterator()
/// let inputs = await arrivals.next()      // the run is inside Charge now
/// gate.open()                             // Charge returns
/// ```
/// A held call whose task is cancelled stops waiting and throws `CancellationError`.
public final class TaskGate: Sendable {
    private struct State {
        var arrived = 0
        var permits = 0
        var isOpenForAll = false
        var nextHolder = 0
        var holders: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    /// The inputs of each call, as it arrives at the gate.
    public let started: AsyncStream<FlowValue>
    private let arrivals: AsyncStream<FlowValue>.Continuation
    private let state = Mutex(State())

    /// Creates a closed gate.
    public init() {
        (started, arrivals) = AsyncStream.makeStream(of: FlowValue.self)
    }

    /// Registers `name` as a task that passes the gate, then returns `output`.
    public func register(_ name: String, in registry: inout TaskRegistry, returning output: FlowValue = [:]) {
        registry.register(name) { [self] inputs, _ in
            try await pass(inputs)
            return output
        }
    }

    /// Reports `inputs` as a call's arrival, then waits until the gate lets this call go on. For task handlers
    /// that do more than wait.
    public func pass(_ inputs: FlowValue) async throws {
        arrivals.yield(inputs)
        let id = state.withLock { state in
            state.nextHolder += 1
            return state.nextHolder
        }
        let released = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let (now, ready) = state.withLock { state -> (Bool?, [CheckedContinuation<Void, Never>]) in
                    state.arrived += 1
                    let ready = state.watchers.filter { $0.count <= state.arrived }.map(\.continuation)
                    state.watchers.removeAll { $0.count <= state.arrived }
                    if Task.isCancelled { return (false, ready) }
                    if state.isOpenForAll { return (true, ready) }
                    if state.permits > 0 {
                        state.permits -= 1
                        return (true, ready)
                    }
                    state.holders.append((id, continuation))
                    return (nil, ready)
                }
                for watcher in ready { watcher.resume() }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let holder = state.withLock { state in
                state.holders.firstIndex { $0.id == id }.map { state.holders.remove(at: $0).continuation }
            }
            holder?.resume(returning: false)
        }
        if !released { throw CancellationError() }
    }

    /// Waits until `count` calls have arrived at the gate since it was made.
    public func waitForArrivals(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.arrived >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Lets the longest-held call go on, or the next one to arrive when none is held.
    public func open() {
        let holder = state.withLock { state in
            guard !state.holders.isEmpty else {
                state.permits += 1
                return nil as CheckedContinuation<Bool, Never>?
            }
            return state.holders.removeFirst().continuation
        }
        holder?.resume(returning: true)
    }

    /// Lets every held call go on, and every later one through without stopping.
    public func openForAll() {
        let held = state.withLock { state in
            state.isOpenForAll = true
            defer { state.holders.removeAll() }
            return state.holders.map(\.continuation)
        }
        for holder in held { holder.resume(returning: true) }
    }
}
