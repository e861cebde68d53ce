public import FlowCore
import Synchronization

/// A task registry for tests: replace some tasks with mocks, keep the rest, and record every call.
///
/// ```swift
/// let mocks = MockTaskRegistry(base: makeTaskRegistry())
/// mocks.mock("ValidateOrder", returning: ["valid": true])
/// mocks.mock("ChargeCard", throwing: TaskError("declined", type: "PaymentDeclined"))
/// mocks.mock("ReserveStock", results: [
///     .failure(TaskError("busy", type: "Busy")),
///     .success(["reserved": true]),
/// ])
/// mocks.mock("Notify") { inputs, context in ["sent_to": inputs["email"] ?? nil] }
///
/// let result = try await FlowExecutor(registry: mocks.registry).execute(flow, inputs: ["order_id": "o-1"])
/// #expect(mocks.callCount(of: "ReserveStock") == 2)
/// #expect(try mocks.call("ChargeCard", at: 0).inputs["amount"] == 42)
/// mocks.reset()   // history and mocks gone: the base registry's tasks run again
/// ```
///
/// Several `mock` calls for the same task combine with the original FlowLang's precedence: a configured
/// error wins over a closure (or result sequence), which wins over a return value. Setting the same kind of
/// behaviour again replaces it; ``unmock(_:)`` removes all of them.
///
/// Mocks are looked up when a task is called, so a registry taken from ``registry`` follows later `mock`,
/// ``unmock(_:)`` and ``reset()`` calls for every task it contains. Take ``registry`` again after mocking a
/// task the base registry does not have, or one it has only as a stub.
public final class MockTaskRegistry: Sendable {
    /// The tasks that run when not mocked.
    public let base: TaskRegistry
    /// Where calls are recorded.
    public let recorder: TaskCallRecorder
    private let mocks = Mutex<[String: MockConfiguration]>([:])

    /// Wraps `base` (by default only the built-ins), recording calls into `recorder`.
    public init(base: TaskRegistry = TaskRegistry(), recorder: TaskCallRecorder = TaskCallRecorder()) {
        self.base = base
        self.recorder = recorder
    }

    // MARK: Mocking

    /// Makes `name` return `value`, unless an error or closure is also configured for it.
    public func mock(_ name: String, returning value: FlowValue) {
        configure(name) { $0.value = value }
    }

    /// Makes `name` throw `error`, e.g. `TaskError("declined", type: "PaymentDeclined")`; this wins over any
    /// closure or return value configured for it.
    public func mock(_ name: String, throwing error: any Error) {
        configure(name) { $0.error = error }
    }

    /// Makes `name` run `handler` with the resolved inputs and the task context; wins over a return value.
    public func mock(_ name: String, _ handler: @escaping TaskHandler) {
        configure(name) { $0.behavior = .handler(handler) }
    }

    /// Makes `name` run a typed closure: inputs decode into `Input`, the returned `Output` encodes into the
    /// result, exactly as for a typed task registered with `TaskRegistry.register(_:description:_:)`.
    ///
    /// ```swift
    /// struct Charge: Codable { var amount: Double }
    /// struct Receipt: Codable { var transaction_id: String }
    /// mocks.mock("ChargeCard") { (charge: Charge, _) in Receipt(transaction_id: "tx-\(Int(charge.amount))") }
    /// ```
    public func mock<Input: Decodable & Sendable, Output: Encodable & Sendable>(
        _ name: String,
        _ body: @escaping @Sendable (Input, TaskContext) async throws -> Output
    ) {
        var scratch = TaskRegistry(includeBuiltins: false)
        scratch.register(name, body)
        guard let handler = scratch.task(named: name)?.handler else {
            preconditionFailure("TaskRegistry lost the task '\(name)' it just registered")
        }
        mock(name, handler)
    }

    /// Makes the calls of `name` produce `results` in order (one per call, retries included), e.g. fail
    /// twice and then succeed; counts as a closure for precedence.
    ///
    /// A call after the last result fails with type `MockResultsExhausted`.
    public func mock(_ name: String, results: [Result<FlowValue, any Error>]) {
        configure(name) { $0.behavior = .results(results, next: 0) }
    }

    /// Removes every mock of `name`: the base registry's task runs again.
    public func unmock(_ name: String) {
        _ = mocks.withLock { $0.removeValue(forKey: name) }
    }

    /// Whether `name` is mocked.
    public func isMocked(_ name: String) -> Bool {
        mocks.withLock { $0[name] != nil }
    }

    /// The mocked task names, sorted.
    public var mockedTaskNames: [String] {
        mocks.withLock { $0.keys.sorted() }
    }

    /// Clears the call history and every mock, so the base registry's tasks run again.
    public func reset() {
        mocks.withLock { $0.removeAll() }
        recorder.reset()
    }

    /// Clears the call history, keeping the mocks.
    public func clearCalls() {
        recorder.reset()
    }

    // MARK: The registry

    /// A registry for an executor: every task of the base registry and every mocked task, each recording
    /// its calls and running its mock when one is configured at call time.
    ///
    /// Stubs of the base registry that are not mocked stay stubs. Built-in tasks are re-registered as
    /// ordinary tasks with the same behaviour.
    public var registry: TaskRegistry {
        var registry = TaskRegistry(includeBuiltins: false)
        let mocked = Set(mockedTaskNames)
        for task in base.allTasks {
            if task.isImplemented || mocked.contains(task.name) {
                registry.register(task.name, description: task.description, handler(for: task.name))
            } else {
                registry.registerStub(task.name, description: task.description)
            }
        }
        for name in mocked where base.task(named: name) == nil {
            registry.register(name, handler(for: name))
        }
        return registry
    }

    // MARK: Calls

    /// Every recorded call, in the order the calls started.
    public var allCalls: [RecordedTaskCall] { recorder.allCalls }

    /// The calls of `name`, in the order they started.
    public func calls(to name: String) -> [RecordedTaskCall] { recorder.calls(to: name) }

    /// How many times `name` was called.
    public func callCount(of name: String) -> Int { recorder.callCount(of: name) }

    /// The `index`-th call (from 0) of `name`.
    ///
    /// - Throws: ``TaskCallIndexError`` ("Task 'X' was called N times, cannot get call I").
    public func call(_ name: String, at index: Int) throws(TaskCallIndexError) -> RecordedTaskCall {
        try recorder.call(name, at: index)
    }

    // MARK: Private

    private func configure(_ name: String, _ change: (inout MockConfiguration) -> Void) {
        mocks.withLock { mocks in
            var configuration = mocks[name] ?? MockConfiguration()
            change(&configuration)
            mocks[name] = configuration
        }
    }

    /// The action for a call of `name` now, or `nil` to run the base task.
    private func nextAction(for name: String) -> MockConfiguration.Action? {
        mocks.withLock { mocks in mocks[name]?.nextAction(for: name) }
    }

    private func handler(for name: String) -> TaskHandler {
        let base = self.base
        let dispatch: TaskHandler = { [self] inputs, context in
            switch nextAction(for: name) {
            case .fail(let error):
                throw error
            case .call(let handler):
                return try await handler(inputs, context)
            case .produce(let value):
                return value
            case nil:
                let task = try base.callableTask(named: name)
                return try await task.handler(inputs, context)
            }
        }
        return recorder.recording(name, dispatch)
    }
}
