import FlowCore
public import Foundation
public import Logging
import OrderedCollections
public import ServiceLifecycle

/// Runs every flow's schedule triggers.
///
/// Each schedule computes its next fire time from its cron expression in its time zone, reading the wall
/// clock from `now`, and waits for it on `clock` in steps of at most `maxSleep` (so a changed wall clock is
/// noticed). A due run starts in the background unless `max_instances` runs of that trigger are still going;
/// then it is skipped and counted. Missed times are not caught up: the next time is computed from now.
/// Instances sharing an execution store (PostgreSQL) run each scheduled time once between them: the first to
/// store the tick's record runs it, the others count it as `ran_elsewhere`.
///
/// On graceful shutdown the schedules stop at once and runs in progress are awaited.
///
/// ```swift
/// let clock = ManualClock()
/// let start = Date()
/// let scheduler = TriggerScheduler(
///     triggers: triggers, catalog: catalog, executions: executions,
///     clock: clock, now: { start.addingTimeInterval(Double(clock.now.offset.components.seconds)) },
///     logger: logger
/// )
/// ```
public final class TriggerScheduler: Service {
    private let runner: TriggerRunner
    private let clock: any Clock<Duration>
    private let now: @Sendable () -> Date
    private let maxSleep: Duration
    private let logger: Logger
    private let jobs: AsyncStream<Job>
    private let jobQueue: AsyncStream<Job>.Continuation

    struct Job: Sendable {
        var run: @Sendable () async -> Void
    }

    /// - Parameters:
    ///   - clock: what the schedules sleep on.
    ///   - now: the wall clock cron expressions are read against.
    ///   - maxSleep: the longest single sleep before the wall clock is read again.
    public init(
        triggers: TriggerRegistry,
        catalog: FlowCatalog,
        executions: ExecutionService,
        clock: any Clock<Duration> = ContinuousClock(),
        now: @escaping @Sendable () -> Date = { Date() },
        maxSleep: Duration = .seconds(60),
        logger: Logger
    ) {
        runner = TriggerRunner(registry: triggers, catalog: catalog, executions: executions)
        self.clock = clock
        self.now = now
        self.maxSleep = maxSleep
        self.logger = logger
        (jobs, jobQueue) = AsyncStream.makeStream(of: Job.self)
    }

    /// Runs the schedules and their runs until shutdown.
    public func run() async throws {
        let schedules = runner.registry.activeSchedules
        await withDiscardingTaskGroup { group in
            group.addTask {
                await cancelWhenGracefulShutdown {
                    await withDiscardingTaskGroup { loops in
                        for (key, schedule) in schedules {
                            loops.addTask { await self.runSchedule(key, schedule) }
                        }
                    }
                }
            }
            for await job in jobs.cancelOnGracefulShutdown() {
                group.addTask { await job.run() }
            }
        }
    }

    /// Runs `job` in the background, alongside the schedules; awaited on shutdown.
    private func submit(_ job: @escaping @Sendable () async -> Void) {
        jobQueue.yield(Job(run: job))
    }

    private func runSchedule(_ key: TriggerRegistry.Key, _ schedule: ScheduleTrigger) async {
        let registry = runner.registry
        registry.setRunning(key, true)
        defer { registry.setRunning(key, false) }
        logger.info(
            "schedule started",
            metadata: [
                LogKey.flow: "\(key.flow)", LogKey.trigger: "\(key.id)", LogKey.cron: "\(schedule.cron)",
                LogKey.timezone: "\(schedule.timeZoneName)",
            ]
        )
        var lastFired = Date.distantPast
        while !Task.isCancelled {
            let reference = max(now(), lastFired)
            guard let due = schedule.cron.nextDate(after: reference, in: schedule.timeZone) else {
                registry.disable(key, reason: "cron: '\(schedule.cron)' never fires")
                return
            }
            registry.setNextExecution(key, due)
            do {
                try await sleep(until: due)
            } catch {
                return
            }
            lastFired = due
            guard registry.beginScheduledRun(key, scheduled: due, maxInstances: schedule.maxInstances) else { continue }
            submit { [self] in
                await runScheduled(key, schedule, scheduled: due)
                registry.endScheduledRun(key)
            }
        }
    }

    /// Sleeps on the clock until the wall clock reaches `date`, re-reading the wall clock at least every `maxSleep`.
    private func sleep(until date: Date) async throws {
        while true {
            let remaining = date.timeIntervalSince(now())
            // Within a millisecond counts as due: the wall clock and the sleep clock need not agree exactly.
            if remaining <= 0.001 { return }
            try await clock.sleep(for: min(.nanoseconds(Int64((remaining * 1e9).rounded(.up))), maxSleep))
        }
    }

    private func runScheduled(_ key: TriggerRegistry.Key, _ schedule: ScheduleTrigger, scheduled: Date) async {
        guard let flow = runner.currentFlow(key) else { return }
        if let reason = TriggerRunner.notReadyReason(flow) {
            runner.registry.recordRejected(key, reason: reason)
            return
        }
        var inputs = schedule.inputs
        inputs["_schedule"] = [
            "trigger_id": .string(key.id), "cron": .string(schedule.cron.source),
            "scheduled_time": .string(TriggerTime.isoformat(scheduled, in: schedule.timeZone)),
            "execution_time": .string(TriggerTime.isoformat(now(), in: schedule.timeZone)),
            "timezone": .string(schedule.timeZoneName),
        ]
        let validated: OrderedDictionary<String, FlowValue>
        do {
            validated = try InputValidator.validate(inputs, for: flow.definition)
        } catch {
            runner.registry.recordRejected(key, reason: error.description)
            return
        }
        await runner.runOnce(
            key, flow: flow, inputs: validated, scheduled: scheduled, maxInstances: schedule.maxInstances)
    }
}
