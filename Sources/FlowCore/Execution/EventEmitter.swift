import DequeModule
import Foundation
import OrderedCollections
import Synchronization

/// Delivers one execution's events to its observers in a single order, also from concurrent branches.
///
/// Observers are called with no lock held: an event is queued, and whichever emitter finds no delivery under
/// way delivers the queue, oldest first, until it is empty. So observers see one order, a slow observer
/// delays only the branch that happens to be delivering (the others queue their events and go on), and an
/// observer that causes another event while receiving one (re-entry) queues it instead of deadlocking.
final class EventEmitter: Sendable {
    let observers: [any ExecutionObserver]
    let executionId: ExecutionID
    let subflowPath: [String]
    /// Shared with subflow emitters so the whole execution has one order.
    private let order: DeliveryOrder

    /// The queue of events waiting for delivery, whether someone is delivering it, and whether the run's
    /// terminal event went out.
    private final class DeliveryOrder: Sendable {
        private struct State {
            var queue = Deque<(ExecutionEvent, [any ExecutionObserver])>()
            var isDelivering = false
            var isClosed = false
        }

        private let state = Mutex(State())

        func deliver(_ event: ExecutionEvent, to observers: [any ExecutionObserver]) {
            let mustDeliver = state.withLock { state in
                // Work abandoned at a deadline (a task or an on_cancel step that ignored cancellation) may still
                // finish after the run ended; the terminal event stays the last one observers see.
                guard !state.isClosed else { return false }
                if event.kind.isTerminal { state.isClosed = true }
                state.queue.append((event, observers))
                guard !state.isDelivering else { return false }
                state.isDelivering = true
                return true
            }
            guard mustDeliver else { return }
            while let (next, observers) = nextQueued() {
                for observer in observers { observer.receive(next) }
            }
        }

        /// The oldest queued event; nil, and delivery over, when none is left.
        private func nextQueued() -> (ExecutionEvent, [any ExecutionObserver])? {
            state.withLock { state -> (ExecutionEvent, [any ExecutionObserver])? in
                guard let next = state.queue.popFirst() else {
                    state.isDelivering = false
                    return nil
                }
                return next
            }
        }
    }

    init(observers: [any ExecutionObserver], executionId: ExecutionID) {
        self.observers = observers
        self.executionId = executionId
        self.subflowPath = []
        self.order = DeliveryOrder()
    }

    private init(parent: EventEmitter, subflow: String) {
        observers = parent.observers
        executionId = parent.executionId
        subflowPath = parent.subflowPath + [subflow]
        order = parent.order
    }

    /// Whether anyone listens; callers skip building event data when not.
    var isActive: Bool { !observers.isEmpty }

    /// An emitter for a subflow's events: same observers, path extended, flow-level events dropped.
    func child(subflow: String) -> EventEmitter {
        EventEmitter(parent: self, subflow: subflow)
    }

    func emit(_ kind: ExecutionEvent.Kind, _ data: OrderedDictionary<String, FlowValue>) {
        guard isActive else { return }
        if !subflowPath.isEmpty, kind == .flowStarted || kind.isTerminal || kind == .flowTerminated { return }
        let event = ExecutionEvent(
            kind: kind,
            executionId: executionId,
            timestamp: Date(),
            subflowPath: subflowPath,
            data: data
        )
        order.deliver(event, to: observers)
    }
}

extension Duration {
    /// The duration in milliseconds as a double, as `duration_ms` fields report it.
    public var inMilliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    static func seconds(fractional value: Double) -> Duration {
        .nanoseconds(Int64((value * 1e9).rounded()))
    }
}
