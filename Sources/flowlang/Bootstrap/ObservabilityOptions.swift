import ArgumentParser
import FlowOTel
import Foundation
import FlowServer
import Logging
import Metrics
import ServiceLifecycle
import Tracing

/// `flowlang serve`'s logging, metrics and tracing flags, and the process-wide bootstrap they drive.
struct ObservabilityOptions: ParsableArguments {
    @Option(help: "Log line format: text or json (default: $LOG_FORMAT, else text).")
    var logFormat: String?

    @Option(help: "Export spans over OTLP/HTTP to this collector, e.g. http://127.0.0.1:4318 (default: $OTEL_EXPORTER_OTLP_ENDPOINT).")
    var otlpEndpoint: String?

    @Flag(inversion: .prefixedNo, help: "Serve Prometheus metrics on /metrics.")
    var metrics = true

    enum LogFormat: String {
        case text, json
    }

    func validate() throws {
        let environment = ProcessInfo.processInfo.environment
        _ = try resolvedLogFormat(environment: environment)
        if let endpoint = resolvedOTLPEndpoint(environment: environment) {
            do {
                _ = try OTLPTracing.tracesURL(for: endpoint)
            } catch {
                let source = otlpEndpoint == nil ? "OTEL_EXPORTER_OTLP_ENDPOINT" : "--otlp-endpoint"
                throw ValidationError("\(source): \(error.description)")
            }
        }
    }

    /// The format from the flag, else `LOG_FORMAT`, else text; an unknown value names where it came from.
    func resolvedLogFormat(environment: [String: String]) throws -> LogFormat {
        let (value, source) = logFormat.map { ($0, "--log-format") } ?? (environment["LOG_FORMAT"].map { ($0, "LOG_FORMAT") } ?? ("text", ""))
        guard let format = LogFormat(rawValue: value.lowercased()) else {
            throw ValidationError("\(source) must be text or json, got '\(value)'")
        }
        return format
    }

    /// The OTLP endpoint from the flag, else `OTEL_EXPORTER_OTLP_ENDPOINT`; nil (no export) when neither is set.
    func resolvedOTLPEndpoint(environment: [String: String]) -> String? {
        let value = otlpEndpoint ?? environment["OTEL_EXPORTER_OTLP_ENDPOINT"]
        return value?.isEmpty == false ? value : nil
    }

    /// Bootstraps logging, metrics and tracing once for the process; returns what the server records into and
    /// the services to run beside it.
    func bootstrap(level: Logger.Level, environment: [String: String]) throws -> (ServerObservability, [any Service]) {
        switch try resolvedLogFormat(environment: environment) {
        case .json:
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                return handler
            }
        }
        var observability = ServerObservability()
        if metrics {
            let serverMetrics = ServerMetrics()
            // Task authors' own swift-metrics land on the same /metrics page.
            MetricsSystem.bootstrap(serverMetrics.factory)
            observability.metrics = serverMetrics
        }
        var services: [any Service] = []
        if let endpoint = resolvedOTLPEndpoint(environment: environment) {
            let exporter = try OTLPTracing.bootstrap(endpoint: endpoint, logger: Logger(label: "flowlang.otel"))
            observability.tracer = exporter.tracer
            services.append(exporter.service)
        }
        return (observability, services)
    }
}
