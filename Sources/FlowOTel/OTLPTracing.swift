public import Logging
import OTel
public import ServiceLifecycle
public import Tracing

/// Span export over OTLP/HTTP (protobuf) with swift-otel, in its own module so only server programs (through
/// FlowServerCommand) pay for building it, not FlowCore or FlowServer users.
public enum OTLPTracing {
    /// Bootstraps the process-wide tracer with an OTLP/HTTP exporter sending to `endpoint`.
    ///
    /// - Parameter endpoint: a collector's base URL such as `http://127.0.0.1:4318`; spans go to `<endpoint>/v1/traces`.
    /// - Returns: the tracer, for ``FlowServer/ServerObservability``, and the service that batches and exports
    ///   spans; run it next to the server so spans are flushed on shutdown.
    /// - Throws: ``OTLPEndpointError`` when `endpoint` is not an http or https URL.
    public static func bootstrap(endpoint: String, serviceName: String = "flowlang", logger: Logger) throws
        -> (tracer: any Tracer, service: any Service)
    {
        let tracesURL = try tracesURL(for: endpoint)
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.diagnosticLogger = .custom(logger)
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        configuration.traces.otlpExporter.endpoint = tracesURL
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        return (backend.factory, backend.service)
    }

    /// Log metadata naming the current span: `trace_id`, `span_id` and `trace_flags`, so log lines written
    /// inside a request or a step can be joined with its trace. Empty outside a span.
    public static var loggingMetadataProvider: Logger.MetadataProvider {
        OTel.makeLoggingMetadataProvider()
    }

    /// `<endpoint>/v1/traces`, after checking that `endpoint` is an http or https URL with a host.
    public static func tracesURL(for endpoint: String) throws(OTLPEndpointError) -> String {
        let trimmed = endpoint.trimmingSuffix("/")
        let scheme = trimmed.prefix { $0 != ":" }
        guard scheme == "http" || scheme == "https", trimmed.hasPrefix("\(scheme)://"),
            trimmed.count > scheme.count + 3
        else {
            throw OTLPEndpointError(endpoint: endpoint)
        }
        return trimmed.hasSuffix("/v1/traces") ? trimmed : "\(trimmed)/v1/traces"
    }
}

/// An OTLP endpoint that is not an http or https URL.
public struct OTLPEndpointError: Error, CustomStringConvertible {
    public let endpoint: String

    public var description: String {
        "invalid OTLP endpoint '\(endpoint)': expected an http or https URL such as http://127.0.0.1:4318"
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: Character) -> String {
        var text = Substring(self)
        while text.last == suffix { text = text.dropLast() }
        return String(text)
    }
}
