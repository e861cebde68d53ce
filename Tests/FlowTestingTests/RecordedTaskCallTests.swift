import FlowCore
import FlowTesting
import Testing

struct RecordedTaskCallTests {
    static let origin = ContinuousClock.now

    static func call(_ start: Int, _ end: Int?, name: String = "T") -> RecordedTaskCall {
        RecordedTaskCall(
            sequence: 0,
            taskName: name,
            stepId: StepID(rawValue: name),
            executionId: "e",
            attempt: 1,
            inputs: .emptyObject,
            startedAt: origin.advanced(by: .milliseconds(start)),
            endedAt: end.map { origin.advanced(by: .milliseconds($0)) },
            startOrder: start,
            endOrder: end,
            outcome: end == nil ? nil : .returned(nil)
        )
    }

    @Test func callsThatEachStartBeforeTheOtherEndsOverlap() {
        #expect(Self.call(1, 3).overlaps(Self.call(2, 4)))
        #expect(Self.call(2, 4).overlaps(Self.call(1, 3)))
        #expect(Self.call(1, 4).overlaps(Self.call(2, 3)))
    }

    @Test func callsOneAfterTheOtherDoNotOverlap() {
        #expect(!Self.call(1, 2).overlaps(Self.call(3, 4)))
        #expect(!Self.call(3, 4).overlaps(Self.call(1, 2)))
    }

    @Test func aRunningCallOverlapsEveryCallThatEndsAfterItStarted() {
        #expect(Self.call(1, nil).overlaps(Self.call(2, 3)))
        #expect(Self.call(2, nil).overlaps(Self.call(1, nil)))
        #expect(!Self.call(5, nil).overlaps(Self.call(1, 2)))
    }

    @Test func durationIsTheTimeBetweenStartAndEnd() {
        #expect(Self.call(10, 25).duration == .milliseconds(15))
        #expect(Self.call(10, nil).duration == nil)
        #expect(Self.call(10, 25).isFinished)
        #expect(!Self.call(10, nil).isFinished)
    }

    @Test func outputAndThrewReflectTheOutcome() {
        var call = Self.call(1, 2)
        call = RecordedTaskCall(
            sequence: call.sequence, taskName: "T", stepId: "T", executionId: "e", attempt: 1, inputs: .emptyObject,
            startedAt: call.startedAt, endedAt: call.endedAt, startOrder: 1, endOrder: 2,
            outcome: .threw(message: "no", type: "Nope")
        )
        #expect(call.threw)
        #expect(call.output == nil)
        #expect(Self.call(1, 2).output == .null)
        #expect(!Self.call(1, 2).threw)
    }
}
