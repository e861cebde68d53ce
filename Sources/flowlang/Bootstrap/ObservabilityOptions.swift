import ArgumentParser
import FlowOTel
import Foundation
import FlowServer
import Logging
import Metrics
import ServiceLifecycle
import Tracing

/// `flowlang serve`'s metrics switch, and the process-wide logging, metrics and tracing bootstrap.
///
/// The log format and the OTLP endpoint come from the resolved configuration (flag, environment or .env).
struct ObservabilityOptions: ParsableArguments {
    @Flag(inversion: .prefixedNo, help: "Serve Prometheus metrics on /metrics.")
    var metrics = true

    /// Bootstraps logging, metrics and tracing once for the process; returns what the server records into and
    /// the services to run beside it.
    func bootstrap(_ logging: LoggingConfiguration) throws -> (ServerObservability, [any Service]) {
        let level = logging.level
        let makeHandler: @Sendable (String, Logger.MetadataProvider?) -> any LogHandler =
            switch logging.format {
            case .json:
                { label, provider in JSONLogHandler(label: label, level: level, metadataProvider: provider) }
            case .text:
                { label, provider in
                    var handler = StreamLogHandler.standardOutput(label: label, metadataProvider: provider)
                    handler.logLevel = level
                    return handler
                }
            }
        if logging.otlpEndpoint != nil {
            // Traces are exported: every log line written inside a span names it (trace_id, span_id).
            LoggingSystem.bootstrap(makeHandler, metadataProvider: OTLPTracing.loggingMetadataProvider)
        } else {
            LoggingSystem.bootstrap { label in makeHandler(label, nil) }
        }
        var observability = ServerObservability()
        if metrics {
            let serverMetrics = ServerMetrics()
            // Task authors' own swift-metrics land on the same /metrics page.
            MetricsSystem.bootstrap(serverMetrics.factory)
            observability.metrics = serverMetrics
        }
        var services: [any Service] = []
        if let endpoint = logging.otlpEndpoint {
            let exporter: (tracer: any Tracer, service: any Service)
            do {
                exporter = try OTLPTracing.bootstrap(endpoint: endpoint, logger: Logger(label: "flowlang.otel"))
            } catch {
                print("error: OTEL_EXPORTER_OTLP_ENDPOINT: \(error)")
                throw ExitCode(2)
            }
            observability.tracer = exporter.tracer
            services.append(exporter.service)
        }
        return (observability, services)
    }
}
