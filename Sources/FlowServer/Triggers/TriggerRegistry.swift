public import FlowCore
public import Foundation
import HTTPTypes
public import Logging
import OrderedCollections
import Synchronization

/// Every served flow's triggers: their definitions, why any cannot run, and what they have done.
///
/// Built once at startup from the catalog's `triggers:` sections. An invalid definition, a webhook secret
/// naming an unset environment variable, or a webhook route that is already taken never stops the server:
/// the trigger is logged, does not run, and shows the problem as `last_error` in its status.
public final class TriggerRegistry: Sendable {
    /// Identifies a trigger: ids are unique within a flow.
    public struct Key: Sendable, Hashable, CustomStringConvertible {
        public var flow: String
        public var id: String

        public init(flow: String, id: String) {
            self.flow = flow
            self.id = id
        }

        public var description: String { "\(flow)/\(id)" }
    }

    /// Something a trigger did, for observers such as tests and metrics.
    public struct Activity: Sendable {
        public enum Kind: Sendable {
            /// A run ended; the record holds the result.
            case finished(ExecutionRecord)
            /// A due scheduled run was skipped because earlier runs were still going.
            case skipped(scheduledTime: Date)
            /// The trigger fired but the flow could not run (not ready, inputs invalid, flow gone).
            case rejected(reason: String)
            /// Another instance sharing the execution store ran this scheduled time already (the execution).
            case ranElsewhere(scheduledTime: Date, executionId: ExecutionID)
        }

        public var trigger: Key
        public var kind: Kind
    }

    struct Entry: Sendable {
        var key: Key
        var type: String?
        var definition: TriggerDefinition?
        /// Why the trigger does not run; nil when it can.
        var problem: String?
        var auth: WebhookAuthenticator?
        var metrics = Metrics()
    }

    struct Metrics: Sendable {
        var running = false
        var executions = 0
        var errors = 0
        var lastExecutionSeconds: Double?
        var lastError: String?
        var lastExecutionId: ExecutionID?
        var runningInstances = 0
        var skipped = 0
        var ranElsewhere = 0
        var nextExecution: Date?
        var lastScheduled: Date?
    }

    /// A webhook that can be routed.
    struct ActiveWebhook: Sendable {
        var key: Key
        var trigger: WebhookTrigger
        var auth: WebhookAuthenticator?
    }

    private struct State {
        var entries: OrderedDictionary<Key, Entry> = [:]
        var observers: [UUID: AsyncStream<Activity>.Continuation] = [:]
    }

    private let state: Mutex<State>
    private let logger: Logger

    /// Reads the triggers of every flow in `catalog`, resolving `${NAME}` secrets in `environment`.
    public init(catalog: FlowCatalog, environment: [String: String] = [:], logger: Logger) {
        self.logger = logger
        var entries = OrderedDictionary<Key, Entry>()
        var routes: [String: Key] = [:]
        for flow in catalog.flows {
            for outcome in TriggerDefinition.parseAll(flow.definition.triggers, flowName: flow.name) {
                let entry: Entry
                switch outcome {
                case .failure(let error):
                    logger.error(
                        "invalid trigger; it will not run",
                        metadata: [LogKey.flow: "\(flow.name)", LogKey.error: "\(error)"])
                    entry = Entry(
                        key: Key(flow: flow.name, id: error.triggerId), type: error.type,
                        problem: error.shortDescription)
                case .success(let definition) where !definition.enabled:
                    logger.info(
                        "trigger disabled (enabled: false)",
                        metadata: [LogKey.flow: "\(flow.name)", LogKey.trigger: "\(definition.id)"])
                    continue
                case .success(let definition):
                    entry = Self.prepare(
                        definition, flow: flow, environment: environment, routes: &routes, logger: logger)
                }
                if entries[entry.key] == nil { entries[entry.key] = entry }
            }
        }
        state = Mutex(State(entries: entries))
    }

    private static func prepare(
        _ definition: TriggerDefinition,
        flow: ServedFlow,
        environment: [String: String],
        routes: inout [String: Key],
        logger: Logger
    ) -> Entry {
        let key = Key(flow: flow.name, id: definition.id)
        var entry = Entry(key: key, type: definition.typeName, definition: definition)
        let metadata: Logger.Metadata = [LogKey.flow: "\(flow.name)", LogKey.trigger: "\(definition.id)"]
        if !definition.unknownKeys.isEmpty {
            logger.warning(
                "trigger has keys it does not use",
                metadata: metadata.merging([LogKey.keys: "\(definition.unknownKeys.joined(separator: ", "))"]) { $1 }
            )
        }
        switch definition.kind {
        case .webhook(let webhook):
            if let auth = webhook.auth {
                do {
                    entry.auth = try WebhookAuthenticator(auth, environment: environment)
                } catch {
                    entry.problem = "\(error.field): \(error.message); the webhook is disabled"
                }
            }
            let route = "\(webhook.method.rawValue) \(WebhookRoute.normalized(webhook.path))"
            if entry.problem == nil {
                if let owner = routes[route] {
                    entry.problem =
                        "path: \(webhook.method.rawValue) \(webhook.path) is already used by trigger '\(owner.id)' "
                        + "of flow '\(owner.flow)'; this webhook is skipped"
                } else {
                    routes[route] = key
                }
            }
        case .schedule(let schedule):
            var inputs = schedule.inputs
            inputs["_schedule"] = .emptyObject
            do {
                _ = try InputValidator.validate(inputs, for: flow.definition)
            } catch {
                entry.problem = "inputs: \(error.description)"
            }
        }
        if let problem = entry.problem {
            logger.error("trigger cannot run", metadata: metadata.merging([LogKey.error: "\(problem)"]) { $1 })
        } else {
            logger.info("trigger ready", metadata: metadata.merging([LogKey.type: "\(definition.typeName)"]) { $1 })
        }
        return entry
    }

    // MARK: - Status

    /// The status of each of `flow`'s triggers, in declaration order (`enabled: false` ones are left out).
    public func statuses(of flow: String) -> [FlowValue] {
        state.withLock { state in state.entries.values.filter { $0.key.flow == flow }.map(Self.status) }
    }

    /// The status of one trigger, or nil when `flow` has no trigger `id`.
    public func status(of flow: String, id: String) -> FlowValue? {
        state.withLock { state in state.entries[Key(flow: flow, id: id)].map(Self.status) }
    }

    private static func status(_ entry: Entry) -> FlowValue {
        var fields = OrderedDictionary<String, FlowValue>()
        let metrics = entry.metrics
        fields["id"] = .string(entry.key.id)
        fields["flow"] = .string(entry.key.flow)
        fields["running"] = .bool(entry.problem == nil && metrics.running)
        fields["executions"] = .int(metrics.executions)
        fields["errors"] = .int(metrics.errors)
        fields["last_execution_time"] = metrics.lastExecutionSeconds.map(FlowValue.double) ?? .null
        fields["last_error"] = (entry.problem ?? metrics.lastError).map(FlowValue.string) ?? .null
        fields["type"] = entry.type.map(FlowValue.string) ?? .null
        switch entry.definition?.kind {
        case .webhook(let webhook)?:
            fields["method"] = .string(webhook.method.rawValue)
            fields["path"] = .string(webhook.path)
            fields["auth_enabled"] = .bool(webhook.auth != nil)
            fields["auth_type"] = webhook.auth.map { .string($0.typeName) } ?? .null
            fields["async_execution"] = .bool(webhook.isAsync)
        case .schedule(let schedule)?:
            fields["cron"] = .string(schedule.cron.source)
            fields["timezone"] = .string(schedule.timeZoneName)
            fields["next_execution"] =
                metrics.nextExecution.map { .string(TriggerTime.isoformat($0, in: schedule.timeZone)) } ?? .null
            fields["last_scheduled"] =
                metrics.lastScheduled.map { .string(TriggerTime.isoformat($0, in: schedule.timeZone)) } ?? .null
            fields["max_instances"] = .int(schedule.maxInstances)
            fields["running_instances"] = .int(metrics.runningInstances)
            fields["skipped"] = .int(metrics.skipped)
            fields["ran_elsewhere"] = .int(metrics.ranElsewhere)
        case nil:
            break
        }
        fields["last_execution_id"] = metrics.lastExecutionId.map { .string($0.rawValue) } ?? .null
        return .object(fields)
    }

    // MARK: - Observing

    /// A stream of what triggers do from now on; it ends when the consumer stops iterating.
    public func activity() -> AsyncStream<Activity> {
        let (stream, continuation) = AsyncStream.makeStream(of: Activity.self)
        let token = UUID()
        state.withLock { $0.observers[token] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.observers.removeValue(forKey: token) }
        }
        return stream
    }

    private func publish(_ activity: Activity) {
        let observers = state.withLock { Array($0.observers.values) }
        for observer in observers { observer.yield(activity) }
    }

    // MARK: - Runtime

    /// Webhooks that can be routed.
    var activeWebhooks: [ActiveWebhook] {
        state.withLock { state in
            state.entries.values.compactMap { entry in
                guard entry.problem == nil, case .webhook(let webhook)? = entry.definition?.kind else { return nil }
                return ActiveWebhook(key: entry.key, trigger: webhook, auth: entry.auth)
            }
        }
    }

    /// Schedules that can run.
    var activeSchedules: [(key: Key, schedule: ScheduleTrigger)] {
        state.withLock { state in
            state.entries.values.compactMap { entry in
                guard entry.problem == nil, case .schedule(let schedule)? = entry.definition?.kind else { return nil }
                return (entry.key, schedule)
            }
        }
    }

    /// Takes a trigger out of service, e.g. when its route is taken; logged and shown as `last_error`.
    func disable(_ key: Key, reason: String) {
        state.withLock { $0.entries[key]?.problem = reason }
        logger.error(
            "trigger cannot run",
            metadata: [LogKey.flow: "\(key.flow)", LogKey.trigger: "\(key.id)", LogKey.error: "\(reason)"])
    }

    /// Marks a trigger as started or stopped; a schedule's next run is forgotten when it stops.
    func setRunning(_ key: Key, _ running: Bool) {
        state.withLock { state in
            state.entries[key]?.metrics.running = running
            if !running { state.entries[key]?.metrics.nextExecution = nil }
        }
    }

    func setNextExecution(_ key: Key, _ date: Date?) {
        state.withLock { $0.entries[key]?.metrics.nextExecution = date }
    }

    /// Claims an instance slot for a due scheduled run; false (and counted as skipped) when all are taken.
    func beginScheduledRun(_ key: Key, scheduled: Date, maxInstances: Int) -> Bool {
        let started = state.withLock { state -> Bool? in
            guard let entry = state.entries[key] else { return nil }
            guard entry.metrics.runningInstances < maxInstances else { return false }
            state.entries[key]?.metrics.runningInstances += 1
            state.entries[key]?.metrics.lastScheduled = scheduled
            return true
        }
        if started == false { recordSkipped(key, scheduled: scheduled, maxInstances: maxInstances) }
        return started == true
    }

    /// Counts a due scheduled run skipped because `maxInstances` runs of the trigger were going.
    func recordSkipped(_ key: Key, scheduled: Date, maxInstances: Int) {
        state.withLock { $0.entries[key]?.metrics.skipped += 1 }
        logger.warning(
            "skipping scheduled run: max instances reached",
            metadata: [LogKey.flow: "\(key.flow)", LogKey.trigger: "\(key.id)", LogKey.maxInstances: "\(maxInstances)"]
        )
        publish(Activity(trigger: key, kind: .skipped(scheduledTime: scheduled)))
    }

    func endScheduledRun(_ key: Key) {
        state.withLock { $0.entries[key]?.metrics.runningInstances -= 1 }
    }

    /// Counts a finished run: an execution, and an error unless it succeeded.
    func recordFinished(_ key: Key, _ record: ExecutionRecord) {
        let result = record.result
        let succeeded = result?.isSuccess ?? false
        let error = result?.failure?.message ?? result?.reason ?? "Execution did not finish"
        state.withLock { state in
            guard state.entries[key] != nil else { return }
            state.entries[key]?.metrics.executions += 1
            state.entries[key]?.metrics.lastExecutionSeconds = result.map {
                ($0.duration.inMilliseconds * 1000).rounded() / 1_000_000
            }
            state.entries[key]?.metrics.lastExecutionId = record.id
            if !succeeded {
                state.entries[key]?.metrics.errors += 1
                state.entries[key]?.metrics.lastError = error
            }
        }
        let metadata: Logger.Metadata = [
            LogKey.flow: "\(key.flow)", LogKey.trigger: "\(key.id)", LogKey.executionId: "\(record.id)",
        ]
        if succeeded {
            logger.info("trigger run finished", metadata: metadata)
        } else {
            logger.error("trigger run failed", metadata: metadata.merging([LogKey.error: "\(error)"]) { $1 })
        }
        publish(Activity(trigger: key, kind: .finished(record)))
    }

    /// Counts a scheduled time another instance sharing the store ran already.
    func recordRanElsewhere(_ key: Key, scheduled: Date, executionId: ExecutionID) {
        state.withLock { $0.entries[key]?.metrics.ranElsewhere += 1 }
        logger.debug(
            "scheduled run already started by another instance",
            metadata: [LogKey.flow: "\(key.flow)", LogKey.trigger: "\(key.id)", LogKey.executionId: "\(executionId)"]
        )
        publish(Activity(trigger: key, kind: .ranElsewhere(scheduledTime: scheduled, executionId: executionId)))
    }

    /// Counts a firing whose flow could not run as an error.
    func recordRejected(_ key: Key, reason: String) {
        state.withLock { state in
            state.entries[key]?.metrics.errors += 1
            state.entries[key]?.metrics.lastError = reason
        }
        logger.warning(
            "trigger could not run its flow",
            metadata: [LogKey.flow: "\(key.flow)", LogKey.trigger: "\(key.id)", LogKey.error: "\(reason)"])
        publish(Activity(trigger: key, kind: .rejected(reason: reason)))
    }
}

/// Route patterns compared regardless of how their parameters are spelled.
enum WebhookRoute {
    /// `/a/{id}` and `/a/:name` both become `/a/:`.
    static func normalized(_ path: String) -> String {
        path.split(separator: "/").map { segment in
            segment.hasPrefix(":") || (segment.hasPrefix("{") && segment.hasSuffix("}")) ? ":" : String(segment)
        }.joined(separator: "/")
    }

    /// The path with each `{name}` written `:name`: taken as a request path, it matches a route's parameter but
    /// no literal segment, so it finds the routes the webhook's own route would collide with.
    static func collisionProbe(_ path: String) -> String {
        "/"
            + path.split(separator: "/").map { segment in
                segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : segment
            }.joined(separator: "/")
    }
}
