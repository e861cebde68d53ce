public import Logging

/// How the executable sets up logging and tracing; FlowServer itself only receives a `Logger`.
public struct LoggingConfiguration: Sendable, Equatable {
    /// The lowest level written (`LOG_LEVEL`).
    public var level: Logger.Level
    /// Human-readable lines or one JSON object per line (`LOG_FORMAT`).
    public var format: LogFormat
    /// Where OTLP/HTTP traces go (`OTEL_EXPORTER_OTLP_ENDPOINT`); nil exports nothing.
    public var otlpEndpoint: String?

    public init(level: Logger.Level = .info, format: LogFormat = .text, otlpEndpoint: String? = nil) {
        self.level = level
        self.format = format
        self.otlpEndpoint = otlpEndpoint
    }
}

/// The shape of log lines.
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}
