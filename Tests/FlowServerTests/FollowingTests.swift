import FlowCore
import OrderedCollections
import Testing

@testable import FlowServer

/// A live events stream reads its run's events at its own pace: every event once, in order, after the run ended
/// too, and a reader waiting for more gives up when its task is cancelled.
@Suite struct FollowingTests {
    static func event(_ number: Int) -> ExecutionEvent {
        ExecutionEvent(kind: .stepCompleted, executionId: "e", data: ["step_id": .string("s\(number)")])
    }

    static func stepIds(_ events: [ExecutionEvent]) -> [StepID] { events.compactMap(\.stepId) }

    @Test func aReaderGetsEveryEventOnceInOrderWhateverItsPace() async throws {
        let live = LiveExecutions(maxEventsPerExecution: 100)
        let (_, observer) = live.begin(id: "e", flow: "F")
        let following = try #require(live.follow(id: "e"))
        observer.receive(Self.event(1))
        observer.receive(Self.event(2))
        #expect(Self.stepIds(await following.events(after: 0)) == ["s1", "s2"], "what came before it read")
        observer.receive(Self.event(3))
        #expect(Self.stepIds(await following.events(after: 2)) == ["s3"])
        #expect(Self.stepIds(await following.events(after: 1)) == ["s2", "s3"], "another reader, further behind")
    }

    @Test func aWaitingReaderWakesForTheNextEventAndReadsWhatIsLeftAfterTheRunEnded() async throws {
        let live = LiveExecutions(maxEventsPerExecution: 100)
        let (_, observer) = live.begin(id: "e", flow: "F")
        let following = try #require(live.follow(id: "e"))
        async let next = following.events(after: 0)
        observer.receive(Self.event(1))
        #expect(Self.stepIds(await next) == ["s1"])
        observer.receive(Self.event(2))
        live.end(id: "e")
        #expect(!live.isLive(id: "e"), "no longer live")
        #expect(Self.stepIds(await following.events(after: 1)) == ["s2"], "read after the end")
        #expect(await following.events(after: 2).isEmpty, "then nothing: the run ended")
        await following.untilEnded()
    }

    @Test func aReaderWaitingForEventsThatNeverComeStopsWhenCancelled() async throws {
        let live = LiveExecutions(maxEventsPerExecution: 100)
        _ = live.begin(id: "e", flow: "F")
        let following = try #require(live.follow(id: "e"))
        let reader = Task { await following.events(after: 0) }
        reader.cancel()
        #expect(await reader.value.isEmpty)
    }
}
