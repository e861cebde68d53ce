import CoreMetrics
import Metrics
import Prometheus
import Synchronization

/// The execution store's metrics: `flowlang_store_operation_duration_seconds{operation}` and
/// `flowlang_store_errors_total{operation}` for the store calls executions make (`create`, `create_once`,
/// `finish`, `journal_append`, `journal_read`, `claim`, `release`, `request_cancel`, `cancel_requests`,
/// `live_events`), and
/// `flowlang_executions_resumed_total`, `flowlang_executions_handed_over_total` and `flowlang_executions_queued_total`.
final class StoreMetrics: Sendable {
    private let factory: PrometheusMetricsFactory
    private let operations = Mutex<[String: Operation]>([:])
    private let resumedCounter: CoreMetrics.Counter
    private let handedOverCounter: CoreMetrics.Counter
    private let queuedCounter: CoreMetrics.Counter

    private struct Operation: Sendable {
        let duration: CoreMetrics.Timer
        let errors: CoreMetrics.Counter
    }

    init(factory: PrometheusMetricsFactory) {
        self.factory = factory
        resumedCounter = CoreMetrics.Counter(label: "flowlang_executions_resumed_total", factory: factory)
        handedOverCounter = CoreMetrics.Counter(label: "flowlang_executions_handed_over_total", factory: factory)
        queuedCounter = CoreMetrics.Counter(label: "flowlang_executions_queued_total", factory: factory)
    }

    /// Runs the store call `body`, recording how long it took since `start` (a write queued then, by default
    /// now) and whether it failed.
    func measure<Result>(
        _ operation: String,
        since start: ContinuousClock.Instant = .now,
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> Result
    ) async throws -> Result {
        let handles = handles(of: operation)
        do {
            let result = try await body()
            handles.duration.record(duration: .now - start)
            return result
        } catch {
            handles.duration.record(duration: .now - start)
            handles.errors.increment()
            throw error
        }
    }

    /// Counts an interrupted execution this instance resumes.
    func resumed() { resumedCounter.increment() }

    /// Counts an execution this instance handed over (shutdown, or its lease claimed by another instance).
    func handedOver() { handedOverCounter.increment() }

    /// Counts an asynchronous execution this instance had no room for, queued for any instance to claim.
    func queued() { queuedCounter.increment() }

    private func handles(of operation: String) -> Operation {
        operations.withLock { operations in
            if let known = operations[operation] { return known }
            let dimensions = [("operation", operation)]
            let made = Operation(
                duration: CoreMetrics.Timer(
                    label: "flowlang_store_operation_duration_seconds", dimensions: dimensions, factory: factory),
                errors: CoreMetrics.Counter(
                    label: "flowlang_store_errors_total", dimensions: dimensions, factory: factory)
            )
            operations[operation] = made
            return made
        }
    }
}
