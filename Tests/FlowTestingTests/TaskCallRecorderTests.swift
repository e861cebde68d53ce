import FlowCore
import FlowTesting
import Testing

struct TaskCallRecorderTests {
    @Test func recordsTaskNameInputsStepAttemptAndOutput() async throws {
        let recorder = TaskCallRecorder()
        let handler = recorder.recording("Greet") { inputs, _ in
            ["greeting": .string("Hello, \(inputs["name"]?.stringValue ?? "")!")]
        }

        let output = try await handler(["name": "Alice"], makeContext(task: "Greet", step: "greet", attempt: 2))

        let call = try #require(recorder.allCalls.first)
        #expect(recorder.allCalls.count == 1)
        #expect(call.taskName == "Greet")
        #expect(call.inputs == ["name": "Alice"])
        #expect(call.stepId == "greet")
        #expect(call.attempt == 2)
        #expect(call.executionId == "exec-1")
        #expect(call.sequence == 0)
        #expect(call.outcome == .returned(["greeting": "Hello, Alice!"]))
        #expect(call.output == output)
        #expect(!call.threw)
    }

    @Test func waitForCallReturnsTheNthCallOnceItStartsOrAtOnceWhenItHas() async throws {
        let recorder = TaskCallRecorder()
        let handler = recorder.recording("Clean") { _, _ in [:] }
        async let second = recorder.waitForCall(to: "Clean", number: 2)
        _ = try await handler(["n": 1], makeContext(task: "Clean", step: "c", attempt: 1))
        _ = try await handler(["n": 2], makeContext(task: "Clean", step: "c", attempt: 1))
        #expect(await second.inputs == ["n": 2])
        #expect(await recorder.waitForCall(to: "Clean").inputs == ["n": 1])
    }

    @Test func recordsThrownErrorsAndRethrowsThemUnchanged() async throws {
        let recorder = TaskCallRecorder()
        let handler = recorder.recording("Charge") { _, _ in throw TaskError("declined", type: "PaymentDeclined") }

        await #expect(throws: TaskError("declined", type: "PaymentDeclined")) {
            try await handler(.emptyObject, makeContext(task: "Charge"))
        }

        let call = try recorder.call("Charge", at: 0)
        #expect(call.outcome == .threw(message: "declined", type: "PaymentDeclined"))
        #expect(call.threw)
        #expect(call.output == nil)
        #expect(call.isFinished)
    }

    @Test func describesNonTaskErrorsByDescriptionAndTypeName() async throws {
        struct Boom: Error, CustomStringConvertible {
            var description: String { "boom" }
        }
        let recorder = TaskCallRecorder()
        let handler = recorder.recording("Explode") { _, _ in throw Boom() }

        await #expect(throws: Boom.self) { try await handler(.emptyObject, makeContext(task: "Explode")) }

        #expect(try recorder.call("Explode", at: 0).outcome == .threw(message: "boom", type: "Boom"))
    }

    @Test func numbersCallsAcrossTasksInStartOrder() async throws {
        let recorder = TaskCallRecorder()
        let a = recorder.recording("A") { _, _ in nil }
        let b = recorder.recording("B") { _, _ in nil }

        _ = try await a(.emptyObject, makeContext(task: "A"))
        _ = try await b(.emptyObject, makeContext(task: "B"))
        _ = try await a(.emptyObject, makeContext(task: "A"))

        #expect(recorder.allCalls.map(\.taskName) == ["A", "B", "A"])
        #expect(recorder.allCalls.map(\.sequence) == [0, 1, 2])
        #expect(recorder.calls(to: "A").map(\.sequence) == [0, 2])
        #expect(recorder.callCount(of: "A") == 2)
        #expect(recorder.callCount(of: "B") == 1)
        #expect(recorder.callCount(of: "C") == 0)
        #expect(recorder.calls(to: "C").isEmpty)
        let starts = recorder.allCalls.map(\.startedAt)
        #expect(starts == starts.sorted())
        let first = recorder.allCalls[0]
        let second = recorder.allCalls[1]
        #expect(try #require(first.endedAt) <= second.startedAt)
        #expect(try #require(first.endOrder) < second.startOrder)
        #expect(!first.overlaps(second))
    }

    @Test func callAtIndexReturnsThatCallOfTheTask() async throws {
        let recorder = TaskCallRecorder()
        let handler = recorder.recording("Echo") { inputs, _ in inputs }
        _ = try await handler(["n": 1], makeContext(task: "Echo"))
        _ = try await handler(["n": 2], makeContext(task: "Echo"))

        #expect(try recorder.call("Echo", at: 0).inputs == ["n": 1])
        #expect(try recorder.call("Echo", at: 1).inputs == ["n": 2])
    }

    @Test func callAtIndexPastTheEndThrowsAClearError() async throws {
        let recorder = TaskCallRecorder()
        let handler = recorder.recording("Echo") { inputs, _ in inputs }
        _ = try await handler(.emptyObject, makeContext(task: "Echo"))

        #expect(throws: TaskCallIndexError(taskName: "Echo", callCount: 1, index: 1)) {
            try recorder.call("Echo", at: 1)
        }
        let error = try #require(throws: TaskCallIndexError.self) { try recorder.call("Echo", at: 1) }
        #expect(error.description == "Task 'Echo' was called 1 times, cannot get call 1")
        let never = try #require(throws: TaskCallIndexError.self) { try recorder.call("Other", at: 0) }
        #expect(never.description == "Task 'Other' was called 0 times, cannot get call 0")
        #expect(throws: TaskCallIndexError.self) { try recorder.call("Echo", at: -1) }
    }

    @Test func aRunningCallHasNoEndYetAndCompletesWhenItReturns() async throws {
        let recorder = TaskCallRecorder()
        let started = AsyncBarrier(parties: 2)
        let release = AsyncBarrier(parties: 2)
        let handler = recorder.recording("Slow") { _, _ in
            try await started.arrive()
            try await release.arrive()
            return "done"
        }

        async let result = handler(.emptyObject, makeContext(task: "Slow"))
        try await started.arrive()
        let running = try recorder.call("Slow", at: 0)
        #expect(!running.isFinished)
        #expect(running.endedAt == nil)
        #expect(running.endOrder == nil)
        #expect(running.outcome == nil)
        #expect(running.duration == nil)
        try await release.arrive()
        _ = try await result

        let finished = try recorder.call("Slow", at: 0)
        #expect(finished.isFinished)
        #expect(finished.outcome == .returned("done"))
        #expect(try #require(finished.duration) >= .zero)
    }

    @Test func resetForgetsCallsAndIgnoresCallsStillRunning() async throws {
        let recorder = TaskCallRecorder()
        let started = AsyncBarrier(parties: 2)
        let release = AsyncBarrier(parties: 2)
        let slow = recorder.recording("Slow") { _, _ in
            try await started.arrive()
            try await release.arrive()
            return nil
        }
        let quick = recorder.recording("Quick") { _, _ in nil }

        async let result = slow(.emptyObject, makeContext(task: "Slow"))
        try await started.arrive()
        recorder.reset()
        #expect(recorder.allCalls.isEmpty)
        _ = try await quick(.emptyObject, makeContext(task: "Quick"))
        try await release.arrive()
        _ = try await result

        #expect(recorder.allCalls.map(\.taskName) == ["Quick"])
        #expect(recorder.allCalls[0].sequence == 0)
        #expect(recorder.allCalls[0].isFinished)
    }

    @Test func wrappingARegistryRecordsImplementedTasksAndKeepsStubs() async throws {
        var base = TaskRegistry(includeBuiltins: false)
        base.register("Double", description: "doubles n") { inputs, _ in .int((inputs["n"]?.intValue ?? 0) * 2) }
        base.registerStub("Later", description: "not yet")
        let recorder = TaskCallRecorder()

        let wrapped = recorder.wrapping(base)

        #expect(wrapped.allTasks.map(\.name) == ["Double", "Later"])
        #expect(wrapped.task(named: "Double")?.description == "doubles n")
        #expect(wrapped.task(named: "Later")?.isImplemented == false)
        #expect(wrapped.task(named: "Later")?.description == "not yet")
        #expect(try await wrapped.invoke("Double", ["n": 21]) == 42)
        #expect(recorder.callCount(of: "Double") == 1)
        #expect(try recorder.call("Double", at: 0).output == 42)
    }

    @Test func wrappedRegistryRecordsCallsMadeByTheExecutor() async throws {
        let recorder = TaskCallRecorder()
        let flow = try FlowLoader().load(
            yaml: """
                flow: EchoTwice
                steps:
                  - task: Echo
                    id: first
                    inputs: {n: 1}
                  - task: Echo
                    id: second
                    inputs: {n: 2}
                """)
        let executor = FlowExecutor(registry: recorder.wrapping(TaskRegistry()))

        let result = try await executor.execute(flow)

        #expect(result.status == .completed)
        #expect(recorder.allCalls.map(\.stepId) == ["first", "second"])
        #expect(recorder.allCalls.map(\.inputs) == [["n": 1], ["n": 2]])
        #expect(recorder.allCalls.allSatisfy { $0.executionId == result.executionId })
    }

    @Test func concurrentCallsAreAllRecordedWithDistinctSequenceNumbers() async throws {
        let recorder = TaskCallRecorder()
        let handler = recorder.recording("Parallel") { inputs, _ in inputs }

        try await withThrowingTaskGroup(of: FlowValue.self) { group in
            for index in 0..<200 {
                group.addTask { try await handler(["i": .int(index)], makeContext(task: "Parallel")) }
            }
            try await group.waitForAll()
        }

        let calls = recorder.allCalls
        #expect(calls.count == 200)
        #expect(calls.map(\.sequence) == Array(0..<200))
        #expect(Set(calls.compactMap { $0.inputs["i"]?.intValue }) == Set(0..<200))
        #expect(calls.allSatisfy { $0.isFinished })
        let ticks = calls.flatMap { [$0.startOrder, $0.endOrder ?? -1] }
        #expect(Set(ticks).count == 400)
    }
}
