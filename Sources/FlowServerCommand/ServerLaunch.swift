import ArgumentParser
public import FlowConnections
import FlowOTel
public import FlowServer
import Foundation
public import Logging
import Metrics
import OrderedCollections
public import ServiceLifecycle
import Tracing

/// What every FlowLang server program does before it serves: resolve its settings once, at the edge, and
/// bootstrap logging, metrics and tracing for the process from them.
///
/// `flowlang serve` and the generated package servers (``FlowPackageServer``) both start this way, so a
/// setting works the same in every server that goes to production.
public enum ServerLaunch {
    /// The effective settings for a server of `servedPath`: `options`' flags, then `environment` (the
    /// process's when nil), then the `.env` files in `workingDirectory` (the current one when nil) and beside
    /// `servedPath` (``DotEnv/files(servedPath:explicitFile:workingDirectory:)``), then the defaults.
    ///
    /// With the process environment (`environment` nil), the `.env` files' other variables are exported to it.
    /// A bad value or an unreadable `.env` file is printed as `error: VARIABLE: message` and ends the program
    /// with exit status 2, before anything listens.
    public static func resolve(
        _ options: ServerSettingsOptions,
        servedPath: String,
        environment: [String: String]? = nil,
        workingDirectory: String? = nil
    ) throws -> ResolvedConfiguration {
        do {
            let files = try DotEnv.files(
                servedPath: servedPath,
                explicitFile: options.envFile,
                workingDirectory: workingDirectory ?? FileManager.default.currentDirectoryPath
            )
            let resolved = try ConfigurationResolver().resolve(
                flags: options.flags,
                environment: environment ?? ProcessInfo.processInfo.environment,
                dotEnvFiles: files
            )
            if environment == nil { exportUnset(files) }
            return resolved
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
    }

    /// Sets the `.env` files' variables the process environment lacks, as python-dotenv's `load_dotenv` does,
    /// so tasks reading `ProcessInfo.processInfo.environment` see them. Called at start, before any thread
    /// that could read the environment runs.
    private static func exportUnset(_ files: [DotEnv]) {
        for file in files.reversed() {
            for (name, value) in file.values { setenv(name, value, 0) }
        }
    }

    /// Bootstraps logging (text or JSON lines at the configured level), metrics (the `/metrics` registry, when
    /// `metrics` is on) and, with an OTLP endpoint, span export for the whole process. Call it once.
    ///
    /// - Returns: what the server records into, and the services to run beside it (the span exporter).
    public static func bootstrapObservability(
        _ logging: LoggingConfiguration,
        metrics: Bool,
        serviceName: String
    ) throws -> (ServerObservability, [any Service]) {
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
                exporter = try OTLPTracing.bootstrap(
                    endpoint: endpoint,
                    serviceName: serviceName,
                    logger: Logger(label: "\(serviceName).otel")
                )
            } catch {
                printError("OTEL_EXPORTER_OTLP_ENDPOINT: \(error)")
                throw ExitCode(2)
            }
            observability.tracer = exporter.tracer
            services.append(exporter.service)
        }
        return (observability, services)
    }

    /// The database pools of a server: opened as flows first use their connections, recording into the server's
    /// `/metrics` when it has one (see docs/databases.md).
    public static func connectionPools(observability: ServerObservability, logger: Logger) -> ConnectionPools {
        ConnectionPools(logger: logger, metrics: observability.metrics?.factory)
    }

    /// Writes `error: message` to standard error.
    package static func printError(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    /// Writes the command's own output (a configuration, a run's result) to standard output, unbuffered.
    static func writeOutput(_ lines: [String]) {
        FileHandle.standardOutput.write(Data(lines.map { $0 + "\n" }.joined().utf8))
    }
}
