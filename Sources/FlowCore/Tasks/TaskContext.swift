public import Logging
public import OrderedCollections

/// What a running task knows about its execution: ids, attempt, a logger, the clock and cancellation.
public struct TaskContext: Sendable {
    /// The execution this call belongs to.
    public let executionId: ExecutionID
    /// The flow being run (the subflow's own name inside a subflow).
    public let flowName: String
    /// The step's id (its task name when it has none).
    public let stepId: StepID
    /// The registered task name.
    public let taskName: String
    /// 1 for the first attempt, 2 for the first retry, and so on.
    public let attempt: Int
    /// The execution's clock; sleep on it so tests control time.
    public let clock: any Clock<Duration>
    /// Where the step sits in the run (see ``StepPath``).
    public let stepPath: StepPath
    /// The step's `connection:`, if it names one.
    public let connectionName: String?
    /// The connections the flow declares, by name.
    public let connections: OrderedDictionary<String, ConnectionDefinition>
    /// Where the pools behind ``connections`` come from; nil when the executor has none.
    public let connectionPools: (any ConnectionProvider)?
    private let baseLogger: Logger

    public init(
        executionId: ExecutionID,
        flowName: String,
        stepId: StepID,
        taskName: String,
        attempt: Int,
        clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger,
        stepPath: StepPath = .root,
        connectionName: String? = nil,
        connections: OrderedDictionary<String, ConnectionDefinition> = [:],
        connectionPools: (any ConnectionProvider)? = nil
    ) {
        self.connectionName = connectionName
        self.connections = connections
        self.connectionPools = connectionPools
        self.executionId = executionId
        self.flowName = flowName
        self.stepId = stepId
        self.taskName = taskName
        self.attempt = attempt
        self.clock = clock
        self.stepPath = stepPath
        self.baseLogger = logger
    }

    /// The same for every attempt of this step in this execution, also after the run resumed from a crash, and
    /// different for every other step, loop iteration and branch: pass it to external systems that deduplicate
    /// requests (a payment API's idempotency key), so a step run again does no harm.
    public var idempotencyKey: String { executionId.rawValue + ":" + stepPath.description }

    /// A logger tagged with `execution_id`, `flow`, `step_id`, `task` and `attempt`.
    public var logger: Logger {
        var logger = baseLogger
        logger[metadataKey: "execution_id"] = .string(executionId.rawValue)
        logger[metadataKey: "flow"] = .string(flowName)
        logger[metadataKey: "step_id"] = .string(stepId.rawValue)
        logger[metadataKey: "task"] = .string(taskName)
        logger[metadataKey: "attempt"] = .stringConvertible(attempt)
        return logger
    }

    /// Whether the execution has been cancelled; long tasks should check it and stop.
    public var isCancelled: Bool { Task.isCancelled }

    /// Throws `CancellationError` when the execution has been cancelled.
    public func checkCancellation() throws {
        try Task.checkCancellation()
    }
}
