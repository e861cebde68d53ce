import FlowCore
import FlowTesting
import OrderedCollections
import Testing

struct MockTaskRegistryTests {
    /// A base registry with one real task, `Lookup`, returning `{source: "real"}`, and one stub, `Pending`.
    static func base() -> TaskRegistry {
        var registry = TaskRegistry()
        registry.register("Lookup", description: "the real lookup") { inputs, _ in
            ["source": "real", "id": inputs["id"] ?? nil]
        }
        registry.registerStub("Pending")
        return registry
    }

    // MARK: Mock kinds

    @Test func mockReturningMakesTheTaskReturnTheValue() async throws {
        let mocks = MockTaskRegistry(base: Self.base())
        mocks.mock("Lookup", returning: ["source": "mock"])

        #expect(try await mocks.invoke("Lookup", ["id": 7]) == ["source": "mock"])
        #expect(mocks.callCount(of: "Lookup") == 1)
        #expect(try mocks.call("Lookup", at: 0).inputs == ["id": 7])
    }

    @Test func mockThrowingMakesTheTaskThrowTheError() async throws {
        let mocks = MockTaskRegistry(base: Self.base())
        mocks.mock("Lookup", throwing: TaskError("declined", type: "PaymentDeclined"))

        await #expect(throws: TaskError("declined", type: "PaymentDeclined")) { try await mocks.invoke("Lookup") }
        #expect(try mocks.call("Lookup", at: 0).outcome == .threw(message: "declined", type: "PaymentDeclined"))
    }

    @Test func mockClosureReceivesTheInputsAndTheContext() async throws {
        let mocks = MockTaskRegistry(base: Self.base())
        mocks.mock("Lookup") { inputs, context in
            ["id": inputs["id"] ?? nil, "step": .string(context.stepId.rawValue), "attempt": .int(context.attempt)]
        }

        let output = try await mocks.invoke("Lookup", ["id": 3], step: "find", attempt: 2)

        #expect(output == ["id": 3, "step": "find", "attempt": 2])
        #expect(try mocks.call("Lookup", at: 0).stepId == "find")
        #expect(try mocks.call("Lookup", at: 0).attempt == 2)
    }

    struct Charge: Codable, Sendable {
        var amount: Double
    }

    struct Receipt: Codable, Sendable {
        var transaction_id: String
        var charged: Double
    }

    @Test func typedMockDecodesInputsAndEncodesItsOutput() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("ChargeCard") { (charge: Charge, context: TaskContext) in
            Receipt(transaction_id: "tx-\(context.attempt)", charged: charge.amount)
        }

        let output = try await mocks.invoke("ChargeCard", ["amount": 42.5])

        #expect(output["transaction_id"] == "tx-1")
        #expect(output["charged"] == 42.5)
        #expect(output.objectValue?.count == 2)
        #expect(try mocks.call("ChargeCard", at: 0).inputs == ["amount": 42.5])
    }

    @Test func typedMockRejectsInputsThatDoNotDecode() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("ChargeCard") { (charge: Charge, _: TaskContext) in
            Receipt(transaction_id: "tx", charged: charge.amount)
        }

        let error = try await #require(throws: TaskError.self) {
            try await mocks.invoke("ChargeCard", ["amount": "lots"])
        }
        #expect(error.type == "InvalidTaskInput")
        #expect(try mocks.call("ChargeCard", at: 0).threw)
    }

    @Test func resultsAreProducedOnePerCallInOrder() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock(
            "Flaky",
            results: [
                .failure(TaskError("busy 1", type: "Busy")),
                .failure(TaskError("busy 2", type: "Busy")),
                .success(["ok": true]),
            ]
        )

        await #expect(throws: TaskError("busy 1", type: "Busy")) { try await mocks.invoke("Flaky") }
        await #expect(throws: TaskError("busy 2", type: "Busy")) { try await mocks.invoke("Flaky") }
        #expect(try await mocks.invoke("Flaky") == ["ok": true])
        #expect(mocks.calls(to: "Flaky").map(\.threw) == [true, true, false])
    }

    @Test func callsBeyondTheGivenResultsFailClearly() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("Once", results: [.success(1)])
        #expect(try await mocks.invoke("Once") == 1)

        let error = try await #require(throws: TaskError.self) { try await mocks.invoke("Once") }

        #expect(error.type == "MockResultsExhausted")
        #expect(error.message == "Mock for task 'Once' has no result left: 1 given, this is call 2")
    }

    // MARK: Precedence

    @Test func throwingWinsOverClosureAndReturnValue() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("T", returning: "value")
        mocks.mock("T") { _, _ in "closure" }
        mocks.mock("T", throwing: TaskError("error", type: "Mocked"))

        await #expect(throws: TaskError("error", type: "Mocked")) { try await mocks.invoke("T") }

        let reversed = MockTaskRegistry()
        reversed.mock("T", throwing: TaskError("error", type: "Mocked"))
        reversed.mock("T") { _, _ in "closure" }
        reversed.mock("T", returning: "value")
        await #expect(throws: TaskError("error", type: "Mocked")) { try await reversed.invoke("T") }
    }

    @Test func closureWinsOverReturnValue() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("T") { _, _ in "closure" }
        mocks.mock("T", returning: "value")

        #expect(try await mocks.invoke("T") == "closure")
    }

    @Test func resultSequenceCountsAsAClosureAndReplacesOne() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("T", returning: "value")
        mocks.mock("T") { _, _ in "closure" }
        mocks.mock("T", results: [.success("first")])

        #expect(try await mocks.invoke("T") == "first")
    }

    @Test func mockingTheSameKindAgainReplacesIt() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("T", returning: "old")
        mocks.mock("T", returning: "new")

        #expect(try await mocks.invoke("T") == "new")
    }

    // MARK: Base tasks, stubs and the registry

    @Test func unmockedTasksRunTheBaseTaskAndAreRecorded() async throws {
        let mocks = MockTaskRegistry(base: Self.base())

        #expect(try await mocks.invoke("Lookup", ["id": 1]) == ["source": "real", "id": 1])
        #expect(try await mocks.invoke("Echo", ["x": 1]) == ["x": 1])
        #expect(mocks.allCalls.map(\.taskName) == ["Lookup", "Echo"])
    }

    @Test func registryKeepsDescriptionsAndOffersBuiltins() {
        let registry = MockTaskRegistry(base: Self.base()).registry

        #expect(registry.task(named: "Lookup")?.description == "the real lookup")
        for builtin in ["Echo", "Fail", "Sleep", "Log"] {
            #expect(registry.task(named: builtin)?.isImplemented == true)
        }
    }

    @Test func stubsStayStubsUntilMocked() async throws {
        let mocks = MockTaskRegistry(base: Self.base())
        #expect(mocks.registry.task(named: "Pending")?.isImplemented == false)
        await #expect(throws: TaskLookupError.notImplemented("Pending")) { try await mocks.invoke("Pending") }

        mocks.mock("Pending", returning: "done")

        #expect(mocks.registry.task(named: "Pending")?.isImplemented == true)
        #expect(try await mocks.invoke("Pending") == "done")
    }

    @Test func mocksSetAfterTakingTheRegistryApplyToItsTasks() async throws {
        let mocks = MockTaskRegistry(base: Self.base())
        let registry = mocks.registry

        mocks.mock("Lookup", returning: "late mock")

        #expect(try await registry.invoke("Lookup") == "late mock")
    }

    @Test func mockingATaskTheBaseLacksAddsIt() async throws {
        let mocks = MockTaskRegistry(base: TaskRegistry(includeBuiltins: false))
        mocks.mock("Brand New", returning: 1)

        #expect(mocks.registry.allTasks.map(\.name) == ["Brand New"])
        #expect(try await mocks.invoke("Brand New") == 1)
    }

    @Test func resetRestoresTheOriginalTasksAndClearsHistory() async throws {
        let mocks = MockTaskRegistry(base: Self.base())
        let registry = mocks.registry
        mocks.mock("Lookup", returning: "mock")
        mocks.mock("Echo", throwing: TaskError("mocked echo"))
        mocks.mock("Extra", returning: "extra")
        let withExtra = mocks.registry
        #expect(try await registry.invoke("Lookup") == "mock")

        mocks.reset()

        #expect(mocks.allCalls.isEmpty)
        #expect(mocks.mockedTaskNames.isEmpty)
        #expect(try await registry.invoke("Lookup", ["id": 2]) == ["source": "real", "id": 2])
        #expect(try await registry.invoke("Echo", ["a": 1]) == ["a": 1])
        await #expect(throws: TaskLookupError.notFound("Extra")) { try await withExtra.invoke("Extra") }
        #expect(mocks.registry.task(named: "Extra") == nil)
        #expect(mocks.allCalls.map(\.taskName) == ["Lookup", "Echo", "Extra"])
    }

    @Test func unmockRestoresOneTask() async throws {
        let mocks = MockTaskRegistry(base: Self.base())
        mocks.mock("Lookup", returning: "mock")
        mocks.mock("Echo", returning: "mock")

        mocks.unmock("Lookup")

        #expect(try await mocks.invoke("Lookup")["source"] == "real")
        #expect(try await mocks.invoke("Echo") == "mock")
        #expect(!mocks.isMocked("Lookup"))
        #expect(mocks.isMocked("Echo"))
    }

    @Test func clearCallsKeepsTheMocks() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("T", returning: 1)
        try await mocks.invoke("T")

        mocks.clearCalls()

        #expect(mocks.allCalls.isEmpty)
        #expect(mocks.isMocked("T"))
        #expect(try await mocks.invoke("T") == 1)
    }

    @Test func mockedTaskNamesAreSorted() {
        let mocks = MockTaskRegistry()
        mocks.mock("b", returning: 1)
        mocks.mock("a", throwing: TaskError("x"))
        mocks.mock("c") { _, _ in nil }

        #expect(mocks.mockedTaskNames == ["a", "b", "c"])
        #expect(mocks.isMocked("a"))
        #expect(!mocks.isMocked("d"))
    }

    // MARK: Queries

    @Test func queriesReportCallsPerTaskAndOverall() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("A", returning: 1)
        mocks.mock("B", returning: 2)
        try await mocks.invoke("A", ["n": 1])
        try await mocks.invoke("B")
        try await mocks.invoke("A", ["n": 2])

        #expect(mocks.allCalls.map(\.taskName) == ["A", "B", "A"])
        #expect(mocks.calls(to: "A").map(\.inputs) == [["n": 1], ["n": 2]])
        #expect(mocks.callCount(of: "A") == 2)
        #expect(mocks.callCount(of: "Z") == 0)
        #expect(try mocks.call("A", at: 1).inputs == ["n": 2])
        #expect(mocks.recorder.allCalls == mocks.allCalls)
    }

    @Test func callAtAMissingIndexNamesTheCount() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("A", returning: 1)
        try await mocks.invoke("A")

        let error = try #require(throws: TaskCallIndexError.self) { try mocks.call("A", at: 2) }

        #expect(error.description == "Task 'A' was called 1 times, cannot get call 2")
    }

    @Test func sharesAGivenRecorder() async throws {
        let recorder = TaskCallRecorder()
        let mocks = MockTaskRegistry(recorder: recorder)
        mocks.mock("A", returning: 1)

        try await mocks.invoke("A")

        #expect(recorder.callCount(of: "A") == 1)
    }

    @Test func concurrentCallsOfASequenceEachTakeOneResult() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("Counter", results: (0..<50).map { .success(.int($0)) })
        let registry = mocks.registry

        let outputs = try await withThrowingTaskGroup(of: FlowValue.self) { group in
            for _ in 0..<50 { group.addTask { try await registry.invoke("Counter") } }
            return try await group.reduce(into: [FlowValue]()) { $0.append($1) }
        }

        #expect(Set(outputs) == Set((0..<50).map { FlowValue.int($0) }))
        #expect(mocks.callCount(of: "Counter") == 50)
    }
}
