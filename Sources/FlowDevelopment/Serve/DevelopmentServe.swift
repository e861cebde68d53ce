import AsyncHTTPClient
import FlowCore
package import FlowServer
import Foundation
package import Logging
import ServiceLifecycle
import UnixSignals

/// `flowlang serve` for task packages (`serve DIR`) and for several of them behind one address
/// (`serve --multi DIR`); flow-only paths keep FlowServe's in-process path. Both run until SIGINT or SIGTERM.
package enum DevelopmentServe {
    package struct Options: Sendable {
        package var host: String
        package var port: Int
        /// Rebuild and restart on Swift changes; the children reload their YAML themselves.
        package var reload: Bool
        /// How long a child has after SIGTERM before SIGKILL.
        package var gracePeriod: Duration
        /// Every other setting (API keys, limits, CORS, retention, …): the `--multi` front enforces the rate
        /// limit and API keys with it, and flow-only directories are served with it in this process.
        package var server: ServerConfiguration
        /// The environment package servers start with, which carries the settings to them
        /// (``FlowServer/ResolvedConfiguration/childEnvironment``); nil passes flowlang's own.
        package var childEnvironment: [String: String]?
        /// SwiftPM's `--scratch-path` for the packages' builds; nil builds each into its own `.build`.
        package var scratchPath: String?

        package init(
            host: String = "127.0.0.1",
            port: Int = 8000,
            reload: Bool = false,
            gracePeriod: Duration = .seconds(5),
            server: ServerConfiguration = ServerConfiguration(),
            childEnvironment: [String: String]? = nil,
            scratchPath: String? = nil
        ) {
            self.host = host
            self.port = port
            self.reload = reload
            self.gracePeriod = gracePeriod
            self.server = server
            self.childEnvironment = childEnvironment
            self.scratchPath = scratchPath
        }

        /// The environment of a `--multi` backend: the front limits each client's rate, since a backend sees
        /// every request come from the front's address; the backends enforce everything else.
        var backendEnvironment: [String: String] {
            var environment = childEnvironment ?? ProcessInfo.processInfo.environment
            environment["RATE_LIMIT_BURST"] = nil
            environment["RATE_LIMIT"] = "off"
            return environment
        }
    }

    /// Builds `package`'s server product and serves it on options.host:port.
    package static func package(_ package: TaskPackage, product: String, options: Options, logger: Logger) async throws
    {
        let server = try await packageServer(
            package,
            product: product,
            host: options.host,
            port: options.port,
            environment: options.childEnvironment,
            options: options,
            prefix: nil
        )
        try await run([server], logger: logger)
    }

    /// Serves every package and flow in `directory`'s child directories behind options.host:port.
    package static func multi(directory: String, options: Options, logger: Logger) async throws {
        let absolute = URL(fileURLWithPath: directory).standardizedFileURL.path
        let plan = try await MultiServePlanner.plan(directory: absolute, nextPort: FreePort.find)
        for problem in plan.skipped { say("flowlang: skipped \(problem)") }
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
        var services: [any Service] = []
        for backend in plan.routes.backends {
            say("flowlang: \(backend.flows.joined(separator: ", ")) → \(backend.label) on 127.0.0.1:\(backend.port)")
            switch backend.kind {
            case .package(let package):
                guard case .swiftPackage(let product) = package.kind else { continue }
                services.append(
                    try await packageServer(
                        package,
                        product: product,
                        host: "127.0.0.1",
                        port: backend.port,
                        environment: options.backendEnvironment,
                        options: options,
                        prefix: backend.label
                    )
                )
            case .inProcess(let directories):
                services.append(
                    try inProcessServer(directories: directories, port: backend.port, options: options, logger: logger))
            }
        }
        var front = options.server
        front.host = options.host
        front.port = options.port
        front.logAuthentication(to: logger)
        services.append(
            MultiServeFront.build(routes: plan.routes, configuration: front, client: client, logger: logger))
        say(
            "flowlang: serving \(plan.routes.flowNames.joined(separator: ", ")) on http://\(options.host):\(options.port)"
        )
        do {
            try await run(services, logger: logger)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// Prints a status line at once, also when the output is a file or a pipe.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// The service group every serve runs in: graceful shutdown on SIGTERM and SIGINT.
    static func run(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }

    static func packageServer(
        _ package: TaskPackage,
        product: String,
        host: String,
        port: Int,
        environment: [String: String]?,
        options: Options,
        prefix: String?
    ) async throws -> PackageServer<ContinuousClock> {
        let tag = prefix.map { "[\($0)] " } ?? ""
        let log: @Sendable (String) -> Void = { say("flowlang: \(tag)\($0)") }
        let build = PackageBuild(directory: package.directory, product: product, scratchPath: options.scratchPath)
        // Before the service group turns SIGINT into graceful shutdown: the resolve must not outlive a Ctrl-C.
        try await endingChildrenOnInterrupt { [scratchPath = options.scratchPath] in
            try await resolveIfNeeded(package.directory, scratchPath: scratchPath, log: log)
        }
        var arguments = ["serve", "--host", host, "--port", String(port), "--flow", package.flowFile]
        if options.reload { arguments.append("--reload") }
        let changes =
            options.reload
            ? FileWatcher(
                root: package.directory, patterns: [FilePattern("Sources/**/*.swift"), FilePattern("Package.swift")]
            ).changes()
            : nil
        return PackageServer(
            name: product,
            command: ProcessCommand(
                executable: build.executablePath,
                arguments: arguments,
                workingDirectory: package.directory,
                environment: environment
            ),
            build: { progress in await build.run { elapsed in progress(elapsed) } },
            changes: changes,
            // JSON log lines (LOG_FORMAT=json) stay JSON: they name their flow and logger themselves.
            output: prefix == nil ? .inherit : .lines { say($0.hasPrefix("{") ? $0 : tag + $0) },
            gracePeriod: options.gracePeriod,
            clock: ContinuousClock(),
            log: log
        )
    }

    /// `swift package resolve` when the package has never been built, with its elapsed time: the first fetch
    /// of FlowLang's dependencies takes minutes and would otherwise look like a hung build.
    static func resolveIfNeeded(_ directory: String, scratchPath: String?, log: @escaping @Sendable (String) -> Void)
        async throws
    {
        let scratch = scratchPath ?? (directory as NSString).appendingPathComponent(".build")
        guard !FileManager.default.fileExists(atPath: scratch) else { return }
        log("resolving dependencies (first build of this package)…")
        let clock = ContinuousClock()
        let started = clock.now
        let command = ProcessCommand(
            executable: "swift",
            arguments: ["package", "resolve"] + (scratchPath.map { ["--scratch-path", $0] } ?? []),
            workingDirectory: directory
        )
        let result = try await withThrowingTaskGroup(of: CommandResult?.self) { group in
            group.addTask { try await ChildProcess.run(command) }
            group.addTask {
                while (try? await clock.sleep(for: .seconds(5))) != nil {
                    log("  still resolving… \(ElapsedTime.format(clock.now - started))")
                }
                return nil
            }
            defer { group.cancelAll() }
            do {
                return try await group.next() ?? nil
            } catch let error as ChildProcessError {
                throw PackageServerError("`swift package resolve` failed in \(directory):\n\(error)")
            }
        }
        guard let result, result.succeeded else {
            throw PackageServerError(
                "`swift package resolve` failed in \(directory):\n\(result?.output ?? "swift is not on PATH")")
        }
        log("resolved dependencies in \(ElapsedTime.format(clock.now - started))")
    }

    /// The flow-only directories of a multi serve, in this process.
    static func inProcessServer(directories: [String], port: Int, options: Options, logger: Logger) throws
        -> any Service
    {
        var registry = TaskRegistry()
        registry.registerHTTPTasks()
        var flows: [ServedFlow] = []
        for directory in directories {
            flows += try FlowDirectoryScanner.scan(directory, registry: registry).flows
        }
        var configuration = options.server
        configuration.host = "127.0.0.1"
        configuration.port = port
        configuration.reload = options.reload
        configuration.rateLimit = nil
        if configuration.environment.isEmpty { configuration.environment = ProcessInfo.processInfo.environment }
        return buildApplication(catalog: FlowCatalog(flows: flows), configuration: configuration, logger: logger)
    }
}
