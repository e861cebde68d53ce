import FlowCore
import FlowServer
import FlowTesting
import Foundation
import HTTPTypes
import Logging
import OrderedCollections
import ServiceLifecycle
import Testing

@Suite struct TriggerSchedulerTests {
    static let start = TriggerFixtures.date("2026-01-15T10:07:30Z")

    /// A scheduler over one flow whose `Report` task passes `gate` when one is given.
    struct Setup {
        let clock: ManualClock
        let store: MemoryExecutionStore
        let triggers: TriggerRegistry
        let scheduler: TriggerScheduler
        let activity: AsyncStream<TriggerRegistry.Activity>

        /// - Parameters: clock, store: shared by setups that play instances of one deployment.
        init(
            triggers yaml: String,
            gate: TaskGate? = nil,
            implemented: Bool = true,
            maxSleep: Duration = .seconds(60),
            clock: ManualClock = ManualClock(),
            store: MemoryExecutionStore = MemoryExecutionStore()
        ) throws {
            self.clock = clock
            self.store = store
            let flow = try TestFlowServer.flow(
                """
                flow: Reports
                inputs:
                  - {name: report, type: string, required: true}
                steps:
                  - task: Report
                    id: report
                    inputs: {report: "${inputs.report}", schedule: "${inputs._schedule}"}
                outputs:
                  - {name: report, value: "${report.report}"}
                triggers:
                \(yaml)
                """
            )
            var registry = TaskRegistry()
            if implemented {
                registry.register("Report") { inputs, _ in
                    if let gate { try await gate.pass(inputs) }
                    return inputs
                }
            } else {
                registry.registerStub("Report")
            }
            let catalog = FlowCatalog(flow: ServedFlow(definition: flow, registry: registry))
            triggers = TriggerRegistry(catalog: catalog, logger: TestFlowServer.logger)
            let executions = ExecutionService(store: store, logger: TestFlowServer.logger, clock: clock)
            scheduler = TriggerScheduler(
                triggers: triggers,
                catalog: catalog,
                executions: executions,
                clock: clock,
                now: TriggerFixtures.wallClock(clock, startingAt: TriggerSchedulerTests.start),
                maxSleep: maxSleep,
                logger: TestFlowServer.logger
            )
            activity = triggers.activity()
        }

        /// Runs the scheduler around `body`, then stops it.
        func running(_ body: (inout AsyncStream<TriggerRegistry.Activity>.Iterator) async throws -> Void) async throws {
            let scheduler = scheduler
            try await withThrowingTaskGroup { group in
                group.addTask { try await scheduler.run() }
                var iterator = activity.makeAsyncIterator()
                do {
                    try await body(&iterator)
                } catch {
                    group.cancelAll()
                    throw error
                }
                group.cancelAll()
            }
        }
    }

    static func finished(_ activity: TriggerRegistry.Activity?) throws -> ExecutionRecord {
        guard case .finished(let record)? = activity?.kind else {
            Issue.record("expected a finished run, got \(String(describing: activity?.kind))")
            throw CancellationError()
        }
        return record
    }

    @Test func instancesSharingAStoreRunEachScheduledTimeOnce() async throws {
        let clock = ManualClock()
        let store = MemoryExecutionStore()
        let yaml = "  - {type: schedule, id: every_minute, cron: \"* * * * *\", inputs: {report: daily}}"
        let first = try Setup(triggers: yaml, clock: clock, store: store)
        let second = try Setup(triggers: yaml, clock: clock, store: store)
        try await first.running { firstActivity in
            try await second.running { secondActivity in
                await clock.waitForSleepers(count: 2)
                clock.advance(by: .seconds(30))
                let kinds = [await firstActivity.next()?.kind, await secondActivity.next()?.kind]

                let finished = kinds.compactMap { kind -> ExecutionRecord? in
                    if case .finished(let record)? = kind { return record }
                    return nil
                }
                let elsewhere = kinds.compactMap { kind -> ExecutionID? in
                    if case .ranElsewhere(_, let executionId)? = kind { return executionId }
                    return nil
                }
                #expect(finished.count == 1)
                #expect(elsewhere == finished.map(\.id), "the other instance names the run it found")
                #expect(finished.first?.idempotencyKey == "schedule:every_minute:2026-01-15T10:08:00+00:00")
                let counts = [first, second].compactMap {
                    $0.triggers.status(of: "Reports", id: "every_minute")?["ran_elsewhere"]
                }
                #expect(counts.sorted { ($0.intValue ?? 0) < ($1.intValue ?? 0) } == [0, 1])
            }
        }
        #expect(try await store.records(flow: "Reports", limit: 10).count == 1)
    }

    @Test func maxInstancesCountsTheRunsOfEveryInstanceSharingTheStore() async throws {
        let clock = ManualClock()
        let store = MemoryExecutionStore()
        let gate = TaskGate()
        let yaml = "  - {type: schedule, id: tick, cron: \"* * * * *\", inputs: {report: r}}"
        let first = try Setup(triggers: yaml, gate: gate, clock: clock, store: store)
        let second = try Setup(triggers: yaml, gate: gate, clock: clock, store: store)
        try await first.running { firstActivity in
            try await second.running { secondActivity in
                await clock.waitForSleepers(count: 2)
                clock.advance(by: .seconds(30))
                var started = gate.started.makeAsyncIterator()
                _ = await started.next()
                // 10:08 runs at one instance and is held there; at 10:09 neither may start another.
                await clock.waitForSleepers(count: 2)
                clock.advance(by: .seconds(60))
                let heads = [await firstActivity.next()?.kind, await secondActivity.next()?.kind]
                let ranAt = heads.firstIndex { kind in
                    if case .skipped? = kind { return true }
                    return false
                }
                let runner = try #require(ranAt, "the instance running 10:08 skips 10:09: \(heads)")
                guard case .ranElsewhere? = heads[1 - runner] else {
                    Issue.record("the other instance found 10:08 run elsewhere first: \(heads)")
                    return
                }
                let otherNext = runner == 0 ? await secondActivity.next()?.kind : await firstActivity.next()?.kind
                guard case .skipped(let scheduled)? = otherNext else {
                    Issue.record("the other instance skips 10:09 too: \(String(describing: otherNext))")
                    return
                }
                #expect(scheduled == TriggerFixtures.date("2026-01-15T10:09:00Z"))
                gate.open()
                let finished = runner == 0 ? await firstActivity.next() : await secondActivity.next()
                #expect(try Self.finished(finished).status == .completed)
            }
        }
        #expect(try await store.records(flow: "Reports", limit: 10).count == 1)
    }

    @Test func firesWhenTheClockReachesTheCronTimeAndRecordsTheExecution() async throws {
        let setup = try Setup(
            triggers: "  - {type: schedule, id: every_minute, cron: \"* * * * *\", inputs: {report: daily}}")
        try await setup.running { activity in
            await setup.clock.waitForSleepers(count: 1)
            #expect(setup.clock.requestedSleeps == [.seconds(30)])
            #expect(
                setup.triggers.status(of: "Reports", id: "every_minute")?["next_execution"]
                    == "2026-01-15T10:08:00+00:00")

            setup.clock.advance(by: .seconds(30))
            let record = try Self.finished(await activity.next())
            #expect(record.mode == .schedule)
            #expect(record.status == .completed)
            #expect(record.inputs["report"] == "daily")
            #expect(
                record.inputs["_schedule"]
                    == [
                        "trigger_id": "every_minute", "cron": "* * * * *",
                        "scheduled_time": "2026-01-15T10:08:00+00:00",
                        "execution_time": "2026-01-15T10:08:00+00:00", "timezone": "UTC",
                    ]
            )
            #expect(record.result?.outputs["report"] == "daily")
            #expect(try await setup.store.record(id: record.id)?.status == .completed)

            await setup.clock.waitForSleepers(count: 1)
            setup.clock.advance(by: .seconds(60))
            let second = try Self.finished(await activity.next())
            #expect(second.inputs["_schedule"]?["scheduled_time"] == "2026-01-15T10:09:00+00:00")

            let status = try #require(setup.triggers.status(of: "Reports", id: "every_minute"))
            #expect(status["running"] == true)
            #expect(status["executions"] == 2)
            #expect(status["errors"] == 0)
            #expect(status["last_scheduled"] == "2026-01-15T10:09:00+00:00")
            #expect(status["running_instances"] == 0)
            #expect(try await setup.store.records(flow: "Reports", limit: 10).count == 2)
        }
    }

    @Test func aRunStillGoingMakesTheNextOneSkip() async throws {
        let gate = TaskGate()
        let setup = try Setup(
            triggers: "  - {type: schedule, id: tick, cron: \"* * * * *\", inputs: {report: r}}", gate: gate)
        try await setup.running { activity in
            await setup.clock.waitForSleepers(count: 1)
            setup.clock.advance(by: .seconds(30))
            var started = gate.started.makeAsyncIterator()
            _ = await started.next()
            #expect(setup.triggers.status(of: "Reports", id: "tick")?["running_instances"] == 1)

            await setup.clock.waitForSleepers(count: 1)
            setup.clock.advance(by: .seconds(60))
            guard case .skipped(let scheduled)? = await activity.next()?.kind else {
                Issue.record("expected the 10:09 run to be skipped")
                return
            }
            #expect(scheduled == TriggerFixtures.date("2026-01-15T10:09:00Z"))

            gate.open()
            _ = try Self.finished(await activity.next())
            let status = try #require(setup.triggers.status(of: "Reports", id: "tick"))
            #expect(status["executions"] == 1)
            #expect(status["skipped"] == 1)
            #expect(status["running_instances"] == 0)
        }
    }

    @Test func longWaitsAreSplitAndMissedTimesAreNotCaughtUp() async throws {
        let setup = try Setup(
            triggers:
                "  - {type: schedule, id: yearly, cron: \"@yearly\", timezone: Europe/Berlin, inputs: {report: y}}"
        )
        try await setup.running { activity in
            await setup.clock.waitForSleepers(count: 1)
            #expect(setup.clock.requestedSleeps == [.seconds(60)])
            #expect(
                setup.triggers.status(of: "Reports", id: "yearly")?["next_execution"] == "2027-01-01T00:00:00+01:00")
            // Jump two years at once: one run, for the first due time, then the next from now.
            setup.clock.advance(by: .seconds(2 * 366 * 86_400))
            let record = try Self.finished(await activity.next())
            #expect(record.inputs["_schedule"]?["scheduled_time"] == "2027-01-01T00:00:00+01:00")
            #expect(record.inputs["_schedule"]?["timezone"] == "Europe/Berlin")
            await setup.clock.waitForSleepers(count: 1)
            #expect(
                setup.triggers.status(of: "Reports", id: "yearly")?["next_execution"] == "2029-01-01T00:00:00+01:00")
        }
    }

    @Test func aFlowThatIsNotReadyCountsAnErrorInsteadOfRunning() async throws {
        let setup = try Setup(
            triggers: "  - {type: schedule, id: tick, cron: \"* * * * *\", inputs: {report: r}}", implemented: false)
        try await setup.running { activity in
            await setup.clock.waitForSleepers(count: 1)
            setup.clock.advance(by: .seconds(30))
            guard case .rejected(let reason)? = await activity.next()?.kind else {
                Issue.record("expected a rejection")
                return
            }
            #expect(reason == "Flow not ready for execution: 1 of 1 tasks are not yet implemented")
            let status = try #require(setup.triggers.status(of: "Reports", id: "tick"))
            #expect(status["errors"] == 1)
            #expect(status["executions"] == 0)
            #expect(status["last_error"] == .string(reason))
            #expect(try await setup.store.records(flow: nil, limit: 10).isEmpty)
        }
    }

    @Test func fixedInputsThatDoNotFitTheFlowMakeTheTriggerInvalid() throws {
        let setup = try Setup(triggers: "  - {type: schedule, id: tick, cron: \"* * * * *\"}")
        let status = try #require(setup.triggers.status(of: "Reports", id: "tick"))
        #expect(status["running"] == false)
        #expect(status["last_error"] == "inputs: Required input 'report' not provided")
    }

    @Test func gracefulShutdownStopsSchedulesAndWaitsForRunningRuns() async throws {
        let gate = TaskGate()
        let setup = try Setup(
            triggers: "  - {type: schedule, id: tick, cron: \"* * * * *\", inputs: {report: r}}", gate: gate)
        let group = ServiceGroup(
            configuration: .init(
                services: [setup.scheduler], gracefulShutdownSignals: [], logger: TestFlowServer.logger)
        )
        var activity = setup.activity.makeAsyncIterator()
        try await withThrowingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            await setup.clock.waitForSleepers(count: 1)
            setup.clock.advance(by: .seconds(30))
            var started = gate.started.makeAsyncIterator()
            _ = await started.next()

            await group.triggerGracefulShutdown()
            // The schedule stops sleeping; the run in progress is still allowed to finish.
            #expect(setup.triggers.status(of: "Reports", id: "tick")?["running_instances"] == 1)
            gate.open()
            let record = try Self.finished(await activity.next())
            #expect(record.status == .completed)
            try await tasks.waitForAll()
        }
        #expect(setup.clock.sleeperCount == 0)
        #expect(setup.triggers.status(of: "Reports", id: "tick")?["running"] == false)
    }
}
