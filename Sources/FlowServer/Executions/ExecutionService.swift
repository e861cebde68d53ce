public import FlowCore
import Foundation
import Hummingbird
public import Logging
public import OrderedCollections
public import ServiceLifecycle
import Synchronization
import Tracing

/// Runs executions for the HTTP layer and triggers, keeping their records and live state.
///
/// Synchronous and streaming executions run inside their request. Asynchronous ones run in this service's
/// own task group, which lives as long as the application (it is a ServiceLifecycle `Service`), so an
/// execution can outlive the request that started it and still be cancelled and awaited on shutdown.
public final class ExecutionService: Service {
    public let store: any ExecutionStore
    let live: LiveExecutions
    /// `MAX_CONCURRENT_EXECUTIONS`: every execution holds one of its permits while it runs.
    let admission: ExecutionAdmission
    let logger: Logger
    let clock: any Clock<Duration>
    private let subflowLoader: (any SubflowLoader)?
    /// What reads a run's subflows when no `subflowLoader` is given: made once, since making one reads the whole
    /// process environment.
    private let subflowFileLoader = FlowLoader()
    private let observability: ServerObservability
    /// The database pools executions' tasks lease connections from.
    let connections: (any ConnectionProvider)?
    let log: ExecutionLog
    private let jobs: AsyncStream<Job>
    private let jobQueue: AsyncStream<Job>.Continuation
    /// The flows interrupted runs are resumed with; nil resumes none.
    let catalog: FlowCatalog?
    /// How often one execution is resumed before it is failed instead.
    let maxResumes: Int
    /// Whether a claim of runs nobody holds is under way (the sweep and a notice may ask at once).
    let claiming = Mutex(false)

    struct Job: Sendable {
        var run: @Sendable () async -> Void
    }

    /// - Parameters:
    ///   - maxEventsPerExecution: how many events of one execution are kept for replay; those that report how
    ///     the run ended are kept beyond it.
    ///   - clock: the clock executions use for retries and timeouts.
    ///   - observability: where execution and step metrics and spans go.
    ///   - maxConcurrentExecutions: how many executions may run at once, counting requests that may start one;
    ///     nil for no limit.
    ///   - catalog: the served flows; when the store keeps a journal, ``resumeInterrupted()`` resumes runs a
    ///     stopped server left unfinished with them.
    ///   - maxResumes: how many times in a row one execution is resumed without journaling a step in between; the
    ///     next such interruption fails it.
    ///   - connections: the pools behind the connections flows declare (FlowConnections' `ConnectionPools`).
    public init(
        store: any ExecutionStore,
        logger: Logger,
        maxEventsPerExecution: Int = 10_000,
        maxConcurrentExecutions: Int? = nil,
        clock: any Clock<Duration> = ContinuousClock(),
        subflowLoader: (any SubflowLoader)? = nil,
        observability: ServerObservability = ServerObservability(),
        catalog: FlowCatalog? = nil,
        maxResumes: Int = 5,
        connections: (any ConnectionProvider)? = nil
    ) {
        self.connections = connections
        self.store = store
        self.catalog = catalog
        self.maxResumes = maxResumes
        self.logger = logger
        self.clock = clock
        self.subflowLoader = subflowLoader
        self.observability = observability
        self.log = ExecutionLog(logger: logger)
        self.live = LiveExecutions(maxEventsPerExecution: maxEventsPerExecution)
        self.admission = ExecutionAdmission(
            limit: maxConcurrentExecutions, queuesWhenFull: store.sharesRuns && store.keepsJournal)
        (jobs, jobQueue) = AsyncStream.makeStream(of: Job.self)
    }

    /// Runs queued asynchronous executions (resumed ones too) until shutdown, then waits for the running ones.
    ///
    /// With a store that keeps a step journal, a graceful shutdown hands the asynchronous and resumed executions
    /// back instead of waiting for them: each stops before its next step, without `on_cancel`, and stays
    /// running in the store, released for another instance to claim at once (PostgreSQL) or for this server's
    /// next start (SQLite), which resumes it from its journal. Synchronous executions, whose clients wait, run on.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            if let interval = store.sweepInterval, catalog != nil {
                group.addTask { await self.sweepInterrupted(every: interval) }
            }
            if store.sharesRuns {
                group.addTask { await self.watchCancelRequests(every: Self.cancelPollInterval) }
                group.addTask { await self.shareLiveEvents(every: Self.liveEventsInterval) }
            }
            if let interval = store.purgeInterval {
                group.addTask { await self.purgeFinished(every: interval) }
            }
            if let notices = store.notices {
                group.addTask { await self.actOnNotices(notices) }
            }
            for await job in jobs.cancelOnGracefulShutdown() {
                group.addTask { await job.run() }
            }
            if store.keepsJournal {
                let handedBack = live.handOverBackground(reason: Self.handBackReason)
                if !handedBack.isEmpty {
                    logger.info(
                        "graceful shutdown: handing background executions back",
                        metadata: [LogKey.executions: "\(handedBack.count)"])
                }
            }
        }
        // Those queued but never started (their jobs end with the queue), and runs claimed as the shutdown began,
        // are still registered here: nothing runs them any more, so they are released.
        if store.keepsJournal {
            for id in live.handOverBackground(reason: Self.handBackReason) {
                live.end(id: id)
                await release(id)
            }
        }
    }

    /// Runs the store call `body`, measured when the server keeps metrics.
    func stored<Result>(
        _ operation: String,
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> Result
    ) async throws -> Result {
        guard let storeMetrics else { return try await body() }
        return try await storeMetrics.measure(operation, body)
    }

    /// The store's metrics, when the server keeps metrics.
    var storeMetrics: StoreMetrics? { observability.metrics?.store }

    /// Runs `flow` to completion and returns its finished record.
    ///
    /// Inputs must already be validated; `extraObservers` see the events too (the SSE writer). Without an
    /// `id`, a new random one is used.
    public func execute(
        _ flow: ServedFlow,
        inputs: OrderedDictionary<String, FlowValue>,
        mode: ExecutionRecord.Mode,
        id: ExecutionID? = nil,
        extraObservers: [any ExecutionObserver] = []
    ) async -> ExecutionRecord {
        var record = ExecutionRecord(
            id: id ?? ExecutionID.next(),
            flowName: flow.name,
            flowVersion: flow.version,
            mode: mode,
            inputs: inputs
        )
        let permit = claimPermit()
        defer { permit?.release() }
        let registration = live.begin(id: record.id, flow: flow.name)
        // A sync run's id reaches its client with the result: its creation can wait in the store's queue of
        // writes with its journal (``run(_:record:registration:extraObservers:journaled:creation:)``), unless
        // another instance may take it over before it is written.
        if mode == .sync, pipelinesJournal(mode: mode), store.queuesWrites, store.leasesAreFresh {
            let creation = store.queueCreate(record)
            return await run(
                flow, record: &record, registration: registration, extraObservers: extraObservers,
                creation: creation)
        }
        await create(record)
        return await run(flow, record: &record, registration: registration, extraObservers: extraObservers)
    }

    /// Whether runs in `mode` write their journal without the next step waiting for each write: runs whose
    /// client waits for the end, on a store no other instance shares or one that queues writes in order.
    private func pipelinesJournal(mode: ExecutionRecord.Mode) -> Bool {
        store.keepsJournal && (!store.sharesRuns || store.queuesWrites) && (mode == .sync || mode == .stream)
    }

    /// Runs `flow` to completion for a record ``reserve(_:inputs:mode:idempotencyKey:id:)`` stored.
    func execute(reserved record: ExecutionRecord, flow: ServedFlow, extraObservers: [any ExecutionObserver] = []) async
        -> ExecutionRecord
    {
        var record = record
        let permit = claimPermit()
        defer { permit?.release() }
        let registration = live.begin(id: record.id, flow: flow.name)
        return await run(flow, record: &record, registration: registration, extraObservers: extraObservers)
    }

    /// Starts `flow` in the background and returns its running record at once, once it is stored; `onFinished`
    /// receives the finished record once it is saved.
    ///
    /// The execution counts as running (for ``runningCount``, cancel and followers) from the moment this returns.
    ///
    /// - Throws: ``ExecutionNotRecorded`` when the store could not record it; it was not started.
    public func start(
        _ flow: ServedFlow,
        inputs: OrderedDictionary<String, FlowValue>,
        mode: ExecutionRecord.Mode,
        onFinished: (@Sendable (ExecutionRecord) -> Void)? = nil
    ) async throws(ExecutionNotRecorded) -> ExecutionRecord {
        let started = ExecutionRecord(
            id: ExecutionID.next(),
            flowName: flow.name,
            flowVersion: flow.version,
            mode: mode,
            inputs: inputs
        )
        guard await create(started) else { throw ExecutionNotRecorded(executionId: started.id) }
        return await start(created: started, flow: flow, onFinished: onFinished)
    }

    /// Queues the run of a record already stored (by ``start(_:inputs:mode:onFinished:)`` or
    /// ``reserve(_:inputs:mode:idempotencyKey:id:)``) and returns it.
    ///
    /// A run admitted beyond the execution limit (``ExecutionAdmission/queued``) is released in the store
    /// instead, for the first instance with room to claim; `onFinished` is not called for it.
    func start(
        created started: ExecutionRecord, flow: ServedFlow, onFinished: (@Sendable (ExecutionRecord) -> Void)? = nil
    )
        async -> ExecutionRecord
    {
        if ExecutionAdmission.queued {
            await release(started.id)
            storeMetrics?.queued()
            logger.info(
                "execution queued for an instance with room",
                metadata: [LogKey.executionId: "\(started.id)", LogKey.flow: "\(flow.name)"])
            return started
        }
        let permit = claimPermit()
        // Registered as live before it is queued, so it can be cancelled or followed before it starts.
        let registration = live.begin(id: started.id, flow: flow.name, background: true)
        // The job runs in this service's task, so the request's trace context is carried over explicitly.
        let context = observability.tracer == nil ? nil : ServiceContext.current
        enqueue(
            Job { [self] in
                var record = started
                let finished = await ServiceContext.withValue(context) {
                    await run(flow, record: &record, registration: registration, extraObservers: [])
                }
                permit?.release()
                onFinished?(finished)
            }
        )
        return started
    }

    /// Runs `job` in this service's task group.
    func enqueue(_ job: Job) {
        jobQueue.yield(job)
    }

    /// A reader of a running execution's events, from the first, or nil when it is not running here.
    func follow(id: ExecutionID) -> Following? {
        live.follow(id: id)
    }

    /// The permit of the request starting an execution, or one of its own for an execution no request
    /// admitted (a schedule); nil without a limit.
    private func claimPermit() -> ExecutionPermit? {
        ExecutionPermit.current?.claim() ?? admission.unconditionalPermit()
    }

    /// How many executions are running now.
    public var runningCount: Int { live.count }

    /// Runs `flow` for `record` and stores how it ended; a resumed run reuses the outcomes `journaled` before.
    /// `creation` is the record's creation when it was queued rather than stored already.
    func run(
        _ flow: ServedFlow,
        record: inout ExecutionRecord,
        registration: (CancellationSignal, any ExecutionObserver),
        extraObservers: [any ExecutionObserver],
        journaled: [StepJournalEntry] = [],
        creation: QueuedWrite? = nil
    ) async -> ExecutionRecord {
        let (signal, observer) = registration
        let executor = FlowExecutor(
            registry: flow.registry,
            subflowLoader: subflowLoader ?? FileSubflowLoader(baseDirectory: flow.directory, loader: subflowFileLoader),
            clock: clock,
            logger: logger,
            tracer: observability.tracer,
            connections: connections
        )
        var observers = [observer, log.observer(flow: flow.name)] + extraObservers
        let flowMetrics = observability.metrics.map { metrics in
            observers.append(StepMetricsObserver(metrics: metrics))
            return metrics.flow(flow.name)
        }
        flowMetrics?.started()
        let journal =
            store.keepsJournal
            ? StoreJournal(
                store: store, executionId: record.id, entries: journaled, logger: logger, metrics: storeMetrics,
                onLeaseLost: { lost in signal.handOver(reason: lost.description) }
            ) : nil
        let started = record
        let execute = { @Sendable [observers] (journal: (any StepJournal)?) async -> ExecutionResult in
            do {
                return try await executor.execute(
                    flow.definition,
                    inputs: started.inputs,
                    options: ExecutionOptions(
                        executionId: started.id,
                        observers: observers,
                        cancellation: signal,
                        journal: journal,
                        alreadyElapsed: started.resumes > 0
                            ? .seconds(Date().timeIntervalSince(started.startTime)) : .zero
                    )
                )
            } catch {
                return ExecutionResult(
                    executionId: started.id,
                    flowName: flow.name,
                    status: .failed,
                    failure: .init(message: "\(error)", type: "FlowValidationError")
                )
            }
        }
        guard let journal, pipelinesJournal(mode: record.mode) else {
            let result = await execute(journal)
            return await store(result, of: &record, signal: signal, flowMetrics: flowMetrics)
        }
        // The client waits for the end, which is stored after every journal write: the writes need not hold up
        // the steps after them (a crash drops the client's connection anyway, and the steps not journaled yet
        // run again where the run resumes). A store that queues writes writes them in order without being waited
        // for, so the end is asked for at once, often committed with them, and their outcomes are read once it is
        // stored; other stores write each when it is waited for. Where instances share runs, a write is refused
        // only once another instance took the run over, which it cannot while this instance's leases are fresh;
        // while they are not, each write is waited for before the next step (``StoreJournal/Pipeline``).
        let (writes, pipeline) = journal.pipelined(after: creation)
        guard store.queuesWrites else {
            async let written: Void = journal.write(writes)
            let result = await execute(pipeline)
            pipeline.close()
            await written
            return await store(result, of: &record, signal: signal, flowMetrics: flowMetrics)
        }
        let result = await execute(pipeline)
        pipeline.close()
        let finished = await store(result, of: &record, signal: signal, flowMetrics: flowMetrics)
        await journal.write(writes)
        return finished
    }
}
