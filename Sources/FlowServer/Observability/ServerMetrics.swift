import CoreMetrics
import FlowCore
import Metrics
public import Prometheus
import Synchronization

/// A server's metrics: its own Prometheus registry, and the counters and histograms FlowLang records into it.
///
/// Each application gets its own registry, so tests never share global state; the executable also bootstraps
/// `MetricsSystem` with ``factory`` so that metrics task authors record land on the same `/metrics` page.
/// Handles are cached per flow, task and route, so recording costs a dictionary lookup under a lock.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// The swift-metrics factory writing into ``registry``.
    public let factory: PrometheusMetricsFactory
    private let flows = Mutex<[String: FlowMetrics]>([:])
    private let tasks = Mutex<[String: TaskMetrics]>([:])
    private let requests = Mutex<[RequestKey: RequestMetrics]>([:])
    /// The execution store's calls, resumes and hand-overs.
    let store: StoreMetrics

    /// Histogram buckets from 100 µs (an engine step) to 2 minutes (a slow flow).
    public static let durationBuckets: [Duration] = [
        .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(10),
        .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30),
        .seconds(120),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.durationBuckets
        self.factory = factory
        store = StoreMetrics(factory: factory)
    }

    /// The registry in the Prometheus text format, as `/metrics` serves it.
    public func text() -> String { registry.emitToString() }

    func flow(_ name: String) -> FlowMetrics {
        flows.withLock { cache in
            if let cached = cache[name] { return cached }
            let made = FlowMetrics(flow: name, factory: factory)
            cache[name] = made
            return made
        }
    }

    func task(_ name: String) -> TaskMetrics {
        tasks.withLock { cache in
            if let cached = cache[name] { return cached }
            let made = TaskMetrics(task: name, factory: factory)
            cache[name] = made
            return made
        }
    }

    /// The handles for requests to Hummingbird's `endpoint` (`/flows/:flow/execute`); cached by endpoint, so
    /// the route label is worked out once per endpoint, method and status.
    func request(endpoint: String?, method: String, status: Int) -> RequestMetrics {
        let key = RequestKey(endpoint: endpoint, method: method, status: status)
        return requests.withLock { cache in
            if let cached = cache[key] { return cached }
            let made = RequestMetrics(route: Self.route(endpoint), method: method, status: status, factory: factory)
            cache[key] = made
            return made
        }
    }

    /// The route label: `/flows/:flow/execute` as `/flows/{flow}/execute`, the OpenAPI spelling. Requests no
    /// route matched (Hummingbird names their endpoint "NotFound"; real routes start with "/") share the label
    /// `unmatched`, so the label set stays bounded.
    static func route(_ endpoint: String?) -> String {
        guard let endpoint, endpoint.hasPrefix("/") else { return "unmatched" }
        guard endpoint.contains(":") else { return endpoint }
        return endpoint.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
    }
}

/// `flowlang_executions_total{flow,status}`, `flowlang_execution_duration_seconds{flow}`,
/// `flowlang_active_executions{flow}`.
struct FlowMetrics: Sendable {
    private let active: CoreMetrics.Meter
    private let duration: CoreMetrics.Timer
    private let finishedByStatus: [ExecutionResult.Status: CoreMetrics.Counter]

    init(flow: String, factory: PrometheusMetricsFactory) {
        let dimensions = [("flow", flow)]
        active = CoreMetrics.Meter(label: "flowlang_active_executions", dimensions: dimensions, factory: factory)
        duration = CoreMetrics.Timer(
            label: "flowlang_execution_duration_seconds", dimensions: dimensions, factory: factory)
        var finished: [ExecutionResult.Status: CoreMetrics.Counter] = [:]
        for status in [ExecutionResult.Status.completed, .terminated, .failed, .cancelled] {
            finished[status] = CoreMetrics.Counter(
                label: "flowlang_executions_total",
                dimensions: [("flow", flow), ("status", status.rawValue)],
                factory: factory
            )
        }
        finishedByStatus = finished
    }

    /// Counts an execution as running.
    func started() {
        active.increment()
    }

    /// Counts a finished execution and records how long it ran.
    func finished(_ status: ExecutionResult.Status, after elapsed: Duration) {
        active.decrement()
        finishedByStatus[status]?.increment()
        duration.record(duration: elapsed)
    }
}

/// `flowlang_step_duration_seconds{task}`, `flowlang_step_failures_total{task}`, `flowlang_task_retries_total{task}`.
struct TaskMetrics: Sendable {
    private let duration: CoreMetrics.Timer
    private let failures: CoreMetrics.Counter
    private let retries: CoreMetrics.Counter

    init(task: String, factory: PrometheusMetricsFactory) {
        let dimensions = [("task", task)]
        duration = CoreMetrics.Timer(label: "flowlang_step_duration_seconds", dimensions: dimensions, factory: factory)
        failures = CoreMetrics.Counter(label: "flowlang_step_failures_total", dimensions: dimensions, factory: factory)
        retries = CoreMetrics.Counter(label: "flowlang_task_retries_total", dimensions: dimensions, factory: factory)
    }

    /// Records a finished step's duration, counting it as a failure when it failed.
    func stepFinished(milliseconds: Double, failed: Bool) {
        if failed { failures.increment() }
        duration.recordNanoseconds(Int64(milliseconds * 1_000_000))
    }

    func retried() {
        retries.increment()
    }
}

struct RequestKey: Hashable, Sendable {
    var endpoint: String?
    var method: String
    var status: Int
}

/// `http_requests_total{route,method,status}` and `http_request_duration_seconds{route,method,status}`.
struct RequestMetrics: Sendable {
    private let count: CoreMetrics.Counter
    private let duration: CoreMetrics.Timer

    init(route: String, method: String, status: Int, factory: PrometheusMetricsFactory) {
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        count = CoreMetrics.Counter(label: "http_requests_total", dimensions: dimensions, factory: factory)
        duration = CoreMetrics.Timer(label: "http_request_duration_seconds", dimensions: dimensions, factory: factory)
    }

    func answered(after elapsed: Duration) {
        count.increment()
        duration.record(duration: elapsed)
    }
}
