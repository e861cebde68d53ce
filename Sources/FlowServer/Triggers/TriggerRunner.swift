import FlowCore
import Foundation
import OrderedCollections

/// Runs a trigger's flow through the execution service and counts the outcome in the trigger's metrics.
struct TriggerRunner: Sendable {
    let registry: TriggerRegistry
    let catalog: FlowCatalog
    let executions: ExecutionService

    /// Runs `flow` with validated `inputs` to completion; the record is kept like any other execution.
    func run(
        _ key: TriggerRegistry.Key,
        flow: ServedFlow,
        inputs: OrderedDictionary<String, FlowValue>,
        mode: ExecutionRecord.Mode,
        id: ExecutionID = ExecutionID.random()
    ) async -> ExecutionRecord {
        let record = await executions.execute(flow, inputs: inputs, mode: mode, id: id)
        registry.recordFinished(key, record)
        return record
    }

    /// Runs `flow` for the scheduled time `scheduled` unless an instance sharing the execution store already
    /// did: the run's record carries the idempotency key `schedule:<trigger>:<time>`, which the store keeps once
    /// (``ExecutionStore/createOnce(_:)``), so of several instances firing the same tick exactly one runs it.
    /// When the store holds `maxInstances` running executions of the trigger's earlier times (on any instance),
    /// the time is skipped.
    func runOnce(
        _ key: TriggerRegistry.Key,
        flow: ServedFlow,
        inputs: OrderedDictionary<String, FlowValue>,
        scheduled: Date,
        maxInstances: Int
    ) async {
        let prefix = "schedule:\(key.id):"
        let tick = prefix + TriggerTime.isoformat(scheduled, in: TimeZone(identifier: "UTC") ?? .current)
        let query = ExecutionQuery(flow: flow.name, statuses: [.running], text: prefix, limit: maxInstances + 1)
        if let running = try? await executions.store.executions(matching: query),
            running.records.filter({ $0.idempotencyKey?.hasPrefix(prefix) == true && $0.idempotencyKey != tick }).count
                >= maxInstances
        {
            registry.recordSkipped(key, scheduled: scheduled, maxInstances: maxInstances)
            return
        }
        do {
            switch try await executions.reserve(
                flow, inputs: inputs, mode: .schedule, idempotencyKey: tick, id: ExecutionID.random())
            {
            case .new(let record), .unrecorded(let record):
                registry.recordFinished(key, await executions.execute(reserved: record, flow: flow))
            case .existing(let record):
                registry.recordRanElsewhere(key, scheduled: scheduled, executionId: record.id)
            }
        } catch {
            // The tick's execution exists with other inputs: its `execution_time` differs by instance.
            registry.recordRanElsewhere(key, scheduled: scheduled, executionId: error.executionId)
        }
    }

    /// The flow as served now (reloads included), or nil after counting the firing as rejected.
    func currentFlow(_ key: TriggerRegistry.Key) -> ServedFlow? {
        guard let flow = catalog.flow(named: key.flow) else {
            registry.recordRejected(key, reason: "Flow not found: \(key.flow)")
            return nil
        }
        return flow
    }

    /// Why the flow cannot run now, in the execute endpoint's words, or nil when it is ready.
    static func notReadyReason(_ flow: ServedFlow) -> String? {
        let readiness = flow.readiness
        guard !readiness.isReady else { return nil }
        return
            "Flow not ready for execution: \(readiness.pending.count) of \(readiness.total) tasks are not yet implemented"
    }
}
