import ArgumentParser
import FlowCore
import FlowDevelopment
import FlowServer
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve flows over HTTP: REST, Server-Sent Events, OpenAPI docs.",
        discussion: """
            PATH is one flow's directory (or flow file), or a directory of flows and projects: those run \
            with the built-in tasks. A package made by `flowlang scaffold` or `init` is built and its own \
            server runs as a child process; with --reload a Swift change rebuilds and restarts it. --multi \
            serves every package and flow under PATH behind one address. See docs/serve.md.

            Every option can also be set by an environment variable or a .env file (flag > environment \
            > .env > default); see docs/configuration.md. --print-config shows the effective values, \
            secrets masked.
            """
    )

    @Argument(help: "A flow directory, a flow file, or a directory of flows.", completion: .directory)
    var path: String = "."

    @Option(help: "The address to listen on (HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "The port to listen on (PORT, default 8000).")
    var port: String?

    @Flag(help: "Reload flow.yaml files when they change; rebuild and restart a package's server on Swift changes.")
    var reload = false

    @Flag(help: "Serve every task package and flow in PATH's child directories behind one address.")
    var multi = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical (LOG_LEVEL, default info).")
    var logLevel: String?

    @Option(help: "Log lines as text or json (LOG_FORMAT, default text).")
    var logFormat: String?

    @Option(help: "Comma-separated API keys required on every route but /health and /ready (FLOWLANG_API_KEYS).")
    var apiKeys: String?

    @Option(help: "Requests per client, e.g. 100/s or 6000/min, or off (RATE_LIMIT, default off).")
    var rateLimit: String?

    @Option(help: "Requests a client may make at once before the rate applies (RATE_LIMIT_BURST).")
    var rateLimitBurst: String?

    @Option(help: "Largest request body in bytes; larger is answered 413 (MAX_BODY_BYTES, default 1048576).")
    var maxBodyBytes: String?

    @Option(help: "Executions running at once before execute answers 503 (MAX_CONCURRENT_EXECUTIONS).")
    var maxConcurrentExecutions: String?

    @Option(help: "Execution records kept (EXECUTION_RETENTION_COUNT, default 1000).")
    var executionRetentionCount: String?

    @Option(help: "Seconds finished execution records are kept (EXECUTION_RETENTION_SECONDS, default 3600).")
    var executionRetentionSeconds: String?

    @Option(help: "Comma-separated origins browsers may call from, or * (CORS_ALLOWED_ORIGINS, default off).")
    var corsAllowedOrigins: String?

    @Option(help: "OTLP/HTTP endpoint for traces (OTEL_EXPORTER_OTLP_ENDPOINT).")
    var otlpEndpoint: String?

    @Option(help: "Database URL for execution records (DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "Seconds graceful shutdown may take before work is cancelled (SHUTDOWN_GRACE_SECONDS, default 30).")
    var shutdownGraceSeconds: String?

    @Option(help: "Seconds to keep serving after SIGTERM with /ready answering 503 (SHUTDOWN_DRAIN_SECONDS, default 0).")
    var shutdownDrainSeconds: String?

    @Option(help: "A .env file to read instead of ./.env and PATH/.env.", completion: .file())
    var envFile: String?

    @Flag(help: "Print the effective configuration (secrets masked) and exit.")
    var printConfig = false

    @OptionGroup(title: "Observability")
    var observability: ObservabilityOptions

    /// The flags given, by the variable each one sets.
    private var flags: [ConfigurationVariable: String] {
        let pairs: [(ConfigurationVariable, String?)] = [
            (.host, host), (.port, port), (.logLevel, logLevel), (.logFormat, logFormat), (.apiKeys, apiKeys),
            (.rateLimit, rateLimit), (.rateLimitBurst, rateLimitBurst), (.maxBodyBytes, maxBodyBytes),
            (.maxConcurrentExecutions, maxConcurrentExecutions), (.retentionCount, executionRetentionCount),
            (.retentionSeconds, executionRetentionSeconds), (.corsAllowedOrigins, corsAllowedOrigins),
            (.otlpEndpoint, otlpEndpoint), (.databaseURL, databaseURL), (.shutdownGraceSeconds, shutdownGraceSeconds),
            (.shutdownDrainSeconds, shutdownDrainSeconds),
        ]
        return Dictionary(uniqueKeysWithValues: pairs.compactMap { variable, value in value.map { (variable, $0) } })
    }

    /// Reads the environment and .env files once, here at the edge; exits 2 naming a bad value.
    private func resolveConfiguration() throws -> ResolvedConfiguration {
        let environment = ProcessInfo.processInfo.environment
        do {
            let files = try DotEnv.files(
                servedPath: path,
                explicitFile: envFile,
                workingDirectory: FileManager.default.currentDirectoryPath
            )
            return try ConfigurationResolver().resolve(flags: flags, environment: environment, dotEnvFiles: files)
        } catch {
            print("error: \(error)")
            throw ExitCode(2)
        }
    }

    func run() async throws {
        var resolved = try resolveConfiguration()
        resolved.server.reload = reload
        if printConfig {
            for line in resolved.printableLines { print(line) }
            return
        }
        let (observed, services) = try observability.bootstrap(resolved.logging)
        let logger = Logger(label: "flowlang")
        let development = DevelopmentServe.Options(host: resolved.server.host, port: resolved.server.port, reload: reload)
        if multi {
            try await runDevelopment { try await DevelopmentServe.multi(directory: path, options: development, logger: logger) }
            return
        }
        if let package = try? TaskPackage.locate(path), case .swiftPackage(let product) = package.kind {
            try await runDevelopment { try await DevelopmentServe.package(package, product: product, options: development, logger: logger) }
            return
        }
        var registry = TaskRegistry()
        registry.registerHTTPTasks()
        do {
            try await FlowServe.run(
                path: path,
                configuration: resolved.server,
                registry: registry,
                observability: observed,
                services: services,
                logger: logger
            )
        } catch let error as ServerSetupError {
            print("error: \(error.message)")
            throw ExitCode(2)
        }
    }

    /// Runs a package or multi serve; its errors are printed and exit 1.
    func runDevelopment(_ serve: () async throws -> Void) async throws {
        do {
            try await serve()
        } catch let error as PackageServerError {
            print("error: \(error.message)")
            throw ExitCode(1)
        }
    }
}
