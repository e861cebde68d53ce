public import Logging
public import OrderedCollections
public import Tracing

/// Runs flows: validates inputs, walks the steps, emits events, handles exit, failure, cancellation and timeout.
///
/// ```swift
/// let flow = try FlowLoader().load(contentsOf: "flow.yaml")
/// let executor = FlowExecutor(registry: makeTaskRegistry())
/// let result = try await executor.execute(flow, inputs: ["user_name": "Alice"])
/// ```
/// An executor holds no per-execution state and can run any number of executions at once.
public struct FlowExecutor: Sendable {
    public let registry: TaskRegistry
    public let clock: any Clock<Duration>
    public let subflowLoader: any SubflowLoader
    public let logger: Logger
    /// Records a span per execution and per step when set; nil (the default) costs nothing.
    public let tracer: (any Tracer)?
    /// The pools behind the connections flows declare, for tasks that name one; nil when flows use none.
    public let connections: (any ConnectionProvider)?

    /// - Parameter tracer: receives `flow.execute <flow>` spans with a child span per step (see docs/observability.md).
    public init(
        registry: TaskRegistry = TaskRegistry(),
        subflowLoader: any SubflowLoader = FileSubflowLoader(),
        clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "flowlang", factory: { _ in SwiftLogNoOpLogHandler() }),
        tracer: (any Tracer)? = nil,
        connections: (any ConnectionProvider)? = nil
    ) {
        self.connections = connections
        self.registry = registry
        self.subflowLoader = subflowLoader
        self.clock = clock
        self.logger = logger
        self.tracer = tracer
    }

    /// Runs `flow` with `inputs`.
    ///
    /// - Throws: ``InputValidationError`` when the inputs do not fit the declared ones; nothing runs then.
    ///   Everything that happens during the run is reported in the result, never thrown.
    public func execute(
        _ flow: FlowDefinition,
        inputs: OrderedDictionary<String, FlowValue> = [:],
        options: ExecutionOptions = ExecutionOptions()
    ) async throws(InputValidationError) -> ExecutionResult {
        let validated = try InputValidator.validate(inputs, for: flow)
        guard let tracer else { return await execute(flow, validated: validated, options: options) }
        return await traced(flow, options: options, tracer: tracer) {
            await execute(flow, validated: validated, options: options)
        }
    }

    /// Runs `flow` with inputs already validated.
    private func execute(
        _ flow: FlowDefinition,
        validated: OrderedDictionary<String, FlowValue>,
        options: ExecutionOptions
    ) async -> ExecutionResult {
        let started = ContinuousClock.now
        let emitter = EventEmitter(observers: options.observers, executionId: options.executionId)
        // Tasks' loggers carry the execution's ids (TaskContext.logger); setting metadata here too would
        // cost every execution a metadata re-render in handlers such as StreamLogHandler.
        let runner = StepRunner(
            flow: flow,
            registry: registry,
            clock: clock,
            emitter: emitter,
            executionId: options.executionId,
            logger: self.logger,
            subflowLoader: subflowLoader,
            callStack: [],
            tracer: tracer,
            subflowCleanupErrors: CleanupErrors(),
            root: .root,
            journal: options.journal,
            connectionPools: connections,
            cancellation: options.cancellation
        )
        emitter.emit(.flowStarted, ["flow": .string(flow.name), "inputs": .object(validated)])
        var topLevelIds = 0
        for step in flow.steps where step.id != nil { topLevelIds += 1 }
        let scope = ExecutionScope.root(inputs: validated, expectedResults: topLevelIds)
        let timeout = flow.timeout.map { max(.zero, $0 - options.alreadyElapsed) }
        let (outcome, requestedReason) = await run(
            runner, in: scope, options: options, timeout: timeout, limit: flow.timeout)

        var result = ExecutionResult(executionId: options.executionId, flowName: flow.name, status: .completed)
        let name = FlowValue.string(flow.name)
        func elapsed() -> FlowValue { .double((ContinuousClock.now - started).inMilliseconds) }
        switch outcome {
        case .completed(let outputs):
            result.outputs = outputs
            emitter.emit(
                .flowCompleted,
                ["flow": name, "success": true, "outputs": .object(outputs), "duration_ms": elapsed()]
            )
        case .terminated(let reason, let outputs):
            result.status = .terminated
            result.reason = reason
            result.outputs = outputs
            emitter.emit(
                .flowCompleted,
                [
                    "flow": name, "success": true, "terminated": true, "termination_reason": .string(reason),
                    "outputs": .object(outputs), "duration_ms": elapsed(),
                ]
            )
        case .failed(let failure):
            result.status = .failed
            result.failure = failure
            emitter.emit(
                .flowFailed,
                [
                    "flow": name, "success": false, "error": .string(failure.message),
                    "error_type": .string(failure.type),
                    "failed_step": failure.failedStep.map(FlowValue.string) ?? .null, "duration_ms": elapsed(),
                ]
            )
        case .cancelled:
            result.status = .cancelled
            result.reason = requestedReason ?? options.cancellation?.reason ?? "Execution cancelled"
            // Subflows cancelled with the run have run their own on_cancel already, innermost first (none runs
            // when the run was handed over to another instance).
            let ownErrors = await runner.runCleanupWithinLimit(in: scope)
            result.cleanupErrors = runner.subflowCleanupErrors.all + ownErrors
            var data: OrderedDictionary<String, FlowValue> = [
                "flow": name, "reason": .string(result.reason ?? ""), "duration_ms": elapsed(),
                "cleanup_errors": result.cleanupErrors.isEmpty
                    ? .null : .array(result.cleanupErrors.map(FlowValue.string)),
            ]
            if options.cancellation?.isHandedOver == true { data["handed_over"] = true }
            emitter.emit(.flowCancelled, data)
        }
        result.duration = ContinuousClock.now - started
        return result
    }

    /// Runs `flow` with inputs given as a plain dictionary (ordered by key).
    public func execute(
        _ flow: FlowDefinition,
        inputs: [String: FlowValue],
        options: ExecutionOptions = ExecutionOptions()
    ) async throws(InputValidationError) -> ExecutionResult {
        let ordered = OrderedDictionary(uniqueKeysWithValues: inputs.sorted { $0.key < $1.key })
        return try await execute(flow, inputs: ordered, options: options)
    }

    private enum RaceEvent: Sendable {
        case finished(StepRunner.Outcome)
        case cancel(String)
        case ignored
    }

    /// Runs the body, racing it against an external cancellation request and the flow's timeout: `timeout` is
    /// what is left of it (less for a resumed run), `limit` the flow's whole `timeout:` that messages name.
    private func run(
        _ runner: StepRunner,
        in scope: ExecutionScope,
        options: ExecutionOptions,
        timeout: Duration?,
        limit: Duration?
    ) async -> (StepRunner.Outcome, String?) {
        let signal = options.cancellation
        if signal == nil && timeout == nil { return (await runner.runBody(in: scope), nil) }
        if let reason = signal?.reason { return (.cancelled, reason) }
        if let signal, timeout == nil {
            // The common case in a server: only an external cancel can interrupt. The body runs in one task
            // the signal cancels directly, instead of a group racing it against a task waiting on the signal.
            // It is awaited right here and cancelled with its caller, so it never outlives this call.
            let body = Task { await runner.runBody(in: scope) }
            let outcome = await signal.whileRegistered(onCancel: { body.cancel() }) {
                await withTaskCancellationHandler {
                    await body.value
                } onCancel: {
                    body.cancel()
                }
            }
            return (outcome, signal.reason)
        }
        let clock = self.clock
        return await withTaskGroup(of: RaceEvent.self) { group in
            group.addTask { .finished(await runner.runBody(in: scope)) }
            if let signal {
                group.addTask { await signal.wait().map(RaceEvent.cancel) ?? .ignored }
            }
            if let timeout, let limit {
                group.addTask {
                    do {
                        try await clock.sleep(for: timeout)
                        return .cancel("Flow timed out after \(FlowValue.render(limit.inMilliseconds / 1000)) seconds")
                    } catch {
                        return .ignored
                    }
                }
            }
            var outcome: StepRunner.Outcome = .cancelled
            var reason: String?
            while let event = await group.next() {
                switch event {
                case .finished(let finished):
                    outcome = finished
                    group.cancelAll()
                case .cancel(let requested):
                    if reason == nil { reason = requested }
                    group.cancelAll()
                case .ignored:
                    break
                }
            }
            return (outcome, reason)
        }
    }
}
