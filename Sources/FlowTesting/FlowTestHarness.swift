public import FlowCore
public import OrderedCollections

/// Loads a flow once and runs it as often as a test likes, with mocks, a controllable clock and the events
/// collected.
///
/// ```swift
/// import FlowCore
/// import FlowTesting
/// import Testing
///
/// @Test func declinedPaymentFailsTheOrder() async throws {
///     let mocks = MockTaskRegistry(base: makeTaskRegistry())
///     mocks.mock("ChargeCard", throwing: TaskError("declined", type: "PaymentDeclined"))
///     let harness = try FlowTestHarness(path: "flows/order/flow.yaml", mocks: mocks, clock: ImmediateClock())
///
///     let run = try await harness.run(["order_id": "o-1", "amount": 42])
///
///     expectFailure(run, errorContains: "declined", type: "PaymentDeclined")
///     expectCalled(mocks, "ChargeCard", times: 1)
///     expectNotCalled(mocks, "SendReceipt")
/// }
/// ```
/// Everything is set up synchronously in the initializer; there is no separate setup step to forget.
/// Mocks may be changed between runs: each run takes a fresh registry from ``mocks``.
/// Calls accumulate in ``mocks`` across runs (call `mocks.clearCalls()` between runs, or use
/// ``FlowTestRun/calls``, which holds only that run's calls).
public struct FlowTestHarness: Sendable {
    /// The loaded flow.
    public let flow: FlowDefinition
    /// The tasks: mocks over the given registry, recording every call.
    public let mocks: MockTaskRegistry
    /// The clock executions run on (retry delays, timeouts, `Sleep`).
    public let clock: any Clock<Duration>
    /// Finds the flows that `subflow:` steps name.
    public let subflowLoader: any SubflowLoader
    /// The pools behind the flow's `connections:` (FlowConnections' `ConnectionPools`), for tests that run
    /// database steps against a real database; nil when no step needs one.
    public let connections: (any ConnectionProvider)?

    /// A harness for an already loaded flow.
    ///
    /// To test against a database of the test's own, load the flow with the variables its `connections:` read
    /// and pass pools:
    /// ```swift
    /// let flow = try FlowLoader(environment: ["DATABASE_URL": "sqlite:\(file)"]).load(contentsOf: "flow.yaml")
    /// try await ConnectionPools.withPools(logger: logger) { pools in
    ///     let run = try await FlowTestHarness(flow: flow, mocks: mocks, connections: pools).run(inputs)
    /// }
    /// ```
    public init(
        flow: FlowDefinition,
        mocks: MockTaskRegistry,
        clock: any Clock<Duration> = ContinuousClock(),
        subflowLoader: any SubflowLoader = FileSubflowLoader(),
        connections: (any ConnectionProvider)? = nil
    ) {
        self.flow = flow
        self.mocks = mocks
        self.clock = clock
        self.subflowLoader = subflowLoader
        self.connections = connections
    }

    /// A harness for an already loaded flow whose tasks come from `registry`, wrapped in a new
    /// ``MockTaskRegistry`` so calls are recorded and tasks can still be mocked through ``mocks``.
    public init(
        flow: FlowDefinition,
        registry: TaskRegistry = TaskRegistry(),
        clock: any Clock<Duration> = ContinuousClock(),
        subflowLoader: any SubflowLoader = FileSubflowLoader(),
        connections: (any ConnectionProvider)? = nil
    ) {
        self.init(
            flow: flow, mocks: MockTaskRegistry(base: registry), clock: clock, subflowLoader: subflowLoader,
            connections: connections)
    }

    /// Loads the flow from YAML text.
    ///
    /// - Parameter subflowDirectory: where `subflow:` steps look for flows; the current directory if `nil`.
    /// - Throws: ``FlowLoadError`` with every diagnostic when the YAML is not a valid flow.
    public init(
        yaml: String,
        mocks: MockTaskRegistry,
        clock: any Clock<Duration> = ContinuousClock(),
        subflowDirectory: String? = nil
    ) throws(FlowLoadError) {
        let flow = try FlowLoader().load(yaml: yaml)
        self.init(
            flow: flow,
            mocks: mocks,
            clock: clock,
            subflowLoader: FileSubflowLoader(baseDirectory: subflowDirectory)
        )
    }

    /// Loads the flow from YAML text, with tasks from `registry` (wrapped in a new ``MockTaskRegistry``).
    ///
    /// - Throws: ``FlowLoadError`` with every diagnostic when the YAML is not a valid flow.
    public init(
        yaml: String,
        registry: TaskRegistry = TaskRegistry(),
        clock: any Clock<Duration> = ContinuousClock(),
        subflowDirectory: String? = nil
    ) throws(FlowLoadError) {
        try self.init(
            yaml: yaml, mocks: MockTaskRegistry(base: registry), clock: clock, subflowDirectory: subflowDirectory)
    }

    /// Loads the flow file at `path`; `subflow:` steps look for flows next to it.
    ///
    /// - Throws: ``FlowLoadError`` with every diagnostic when the file is missing or not a valid flow.
    public init(
        path: String,
        mocks: MockTaskRegistry,
        clock: any Clock<Duration> = ContinuousClock()
    ) throws(FlowLoadError) {
        let flow = try FlowLoader().load(contentsOf: path)
        self.init(flow: flow, mocks: mocks, clock: clock, subflowLoader: FileSubflowLoader())
    }

    /// Loads the flow file at `path`, with tasks from `registry` (wrapped in a new ``MockTaskRegistry``).
    ///
    /// - Throws: ``FlowLoadError`` with every diagnostic when the file is missing or not a valid flow.
    public init(
        path: String,
        registry: TaskRegistry = TaskRegistry(),
        clock: any Clock<Duration> = ContinuousClock()
    ) throws(FlowLoadError) {
        try self.init(path: path, mocks: MockTaskRegistry(base: registry), clock: clock)
    }

    /// Runs the flow with `inputs`, collecting its events and calls.
    ///
    /// - Parameter cancellation: lets the test (or a mocked task) cancel the execution.
    /// - Throws: ``InputValidationError`` when the inputs do not fit the flow's declared inputs; nothing runs
    ///   then. Everything that happens during the run is in the returned ``FlowTestRun``.
    public func run(
        _ inputs: OrderedDictionary<String, FlowValue> = [:],
        cancellation: CancellationSignal? = nil
    ) async throws(InputValidationError) -> FlowTestRun {
        let collector = EventCollector()
        let executor = FlowExecutor(
            registry: mocks.registry, subflowLoader: subflowLoader, clock: clock, connections: connections)
        let options = ExecutionOptions(observers: [collector], cancellation: cancellation)
        let result = try await executor.execute(flow, inputs: inputs, options: options)
        let calls = mocks.allCalls.filter { $0.executionId == result.executionId }
        return FlowTestRun(result: result, events: collector.events, calls: calls)
    }
}
