import Foundation
import OrderedCollections
import Synchronization

/// Delivers one execution's events to its observers in a single order, also from concurrent branches.
final class EventEmitter: Sendable {
    let observers: [any ExecutionObserver]
    let executionId: String
    let subflowPath: [String]
    /// Shared with subflow emitters so the whole execution has one order.
    private let order: DeliveryOrder

    /// The lock that serialises delivery; it also records whether the terminal event went out.
    private final class DeliveryOrder: Sendable {
        /// True once the run's terminal event was delivered.
        let closed = Mutex(false)
    }

    init(observers: [any ExecutionObserver], executionId: String) {
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
        // Work abandoned at a deadline (a task or an on_cancel step that ignored cancellation) may still finish
        // after the run ended; the terminal event stays the last one observers see.
        order.closed.withLock { closed in
            if closed { return }
            if kind.isTerminal { closed = true }
            let event = ExecutionEvent(
                kind: kind,
                executionId: executionId,
                timestamp: Date(),
                subflowPath: subflowPath,
                data: data
            )
            for observer in observers { observer.receive(event) }
        }
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
