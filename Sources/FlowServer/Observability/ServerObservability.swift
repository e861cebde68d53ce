public import Tracing

/// What a server records about itself: Prometheus metrics and spans. Both are off by default.
///
/// ```swift
/// let observability = ServerObservability(metrics: ServerMetrics(), tracer: InstrumentationSystem.tracer)
/// let app = buildApplication(catalog: catalog, observability: observability, logger: logger)
/// ```
public struct ServerObservability: Sendable {
    /// Served on `GET /metrics` and recorded by executions and requests when set.
    public var metrics: ServerMetrics?
    /// Receives execution and step spans when set; HTTP request spans then come from the process-wide tracer
    /// (`InstrumentationSystem`), which the executable bootstraps to the same tracer.
    ///
    /// A `NoOpTracer` (what `InstrumentationSystem.tracer` is until bootstrapped) counts as none: spans that
    /// nobody records cost nothing instead of a context switch per step.
    public var tracer: (any Tracer)? {
        didSet { if tracer is NoOpTracer { tracer = nil } }
    }

    public init(metrics: ServerMetrics? = nil, tracer: (any Tracer)? = nil) {
        self.metrics = metrics
        self.tracer = tracer is NoOpTracer ? nil : tracer
    }
}
