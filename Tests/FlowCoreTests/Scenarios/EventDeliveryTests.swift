import OrderedCollections
import Synchronization
import Testing

@testable import FlowCore

/// How one execution's events reach its observers: one order for all, no lock held while observers run.
@Suite struct EventDeliveryTests {
    /// Records event names; on its first `step_started` it causes another event through the emitter.
    final class Reentrant: ExecutionObserver {
        let emitter = Mutex<EventEmitter?>(nil)
        let seen = Mutex<[String]>([])

        func receive(_ event: ExecutionEvent) {
            seen.withLock { $0.append(event.name) }
            if event.kind == .stepStarted, let emitter = emitter.withLock({ $0 }) {
                emitter.emit(.stepCompleted, ["step_id": "inner"])
            }
        }
    }

    final class Recorder: ExecutionObserver {
        let seen = Mutex<[String]>([])
        func receive(_ event: ExecutionEvent) { seen.withLock { $0.append(event.data["n"]?.stringValue ?? "") } }
    }

    @Test func anObserverCausingAnEventWhileReceivingOneGetsItNextInsteadOfDeadlocking() {
        let observer = Reentrant()
        let emitter = EventEmitter(observers: [observer], executionId: "e")
        observer.emitter.withLock { $0 = emitter }
        emitter.emit(.stepStarted, ["step_id": "outer"])
        emitter.emit(.flowCompleted, [:])
        #expect(observer.seen.withLock { $0 } == ["step_started", "step_completed", "flow_completed"])
    }

    @Test func eventsFromConcurrentBranchesReachEveryObserverOnceInOneOrder() async {
        let first = Recorder()
        let second = Recorder()
        let emitter = EventEmitter(observers: [first, second], executionId: "e")
        await withTaskGroup(of: Void.self) { group in
            for branch in 0..<8 {
                group.addTask {
                    for step in 0..<100 { emitter.emit(.stepCompleted, ["n": .string("\(branch)-\(step)")]) }
                }
            }
        }
        let seen = first.seen.withLock { $0 }
        #expect(seen.count == 800)
        #expect(Set(seen).count == 800)
        #expect(second.seen.withLock { $0 } == seen)
        // Each branch's own events stay in the order it emitted them.
        for branch in 0..<8 {
            let own = seen.filter { $0.hasPrefix("\(branch)-") }
            #expect(own == (0..<100).map { "\(branch)-\($0)" })
        }
    }
}
