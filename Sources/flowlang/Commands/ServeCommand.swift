import ArgumentParser
import FlowConnections
import FlowCore
import FlowDevelopment
import FlowServer
import FlowServerCommand
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

    @Flag(help: "Reload flow.yaml files when they change; rebuild and restart a package's server on Swift changes.")
    var reload = false

    @Flag(help: "Serve every task package and flow in PATH's child directories behind one address.")
    var multi = false

    @Option(
        help: "SwiftPM's --scratch-path for building task packages (default: each package's .build).",
        completion: .directory)
    var scratchPath: String?

    @OptionGroup(title: "Server settings")
    var settings: ServerSettingsOptions

    func run() async throws {
        var resolved = try ServerLaunch.resolve(settings, servedPath: path)
        resolved.server.reload = reload
        if settings.printConfig {
            for line in resolved.printableLines { print(line) }
            return
        }
        let (observed, services) = try ServerLaunch.bootstrapObservability(
            resolved.logging,
            metrics: settings.metrics,
            serviceName: "flowlang"
        )
        let logger = Logger(label: "flowlang")
        let development = DevelopmentServe.Options(
            host: resolved.server.host,
            port: resolved.server.port,
            reload: reload,
            server: resolved.server,
            childEnvironment: resolved.childEnvironment,
            scratchPath: scratchPath
        )
        if multi {
            if let url = resolved.databaseURL, url.lowercased().hasPrefix("sqlite:") {
                ServerLaunch.printError(
                    "DATABASE_URL: --multi runs a server for each package, and an SQLite file serves one server; "
                        + "leave DATABASE_URL unset (each package keeps its own file beside its flows) or use postgres://…"
                )
                throw ExitCode(2)
            }
            try await runDevelopment {
                try await DevelopmentServe.multi(directory: path, options: development, logger: logger)
            }
            return
        }
        if let package = try? TaskPackage.locate(path), case .swiftPackage(let product) = package.kind {
            try await runDevelopment {
                try await DevelopmentServe.package(package, product: product, options: development, logger: logger)
            }
            return
        }
        var registry = TaskRegistry()
        registry.registerHTTPTasks()
        registry.registerDatabaseTasks()
        let (store, storeServices) = try await ServerLaunch.executionStore(resolved, servedPath: path, logger: logger)
        do {
            try await FlowServe.run(
                path: path,
                configuration: resolved.server,
                registry: registry,
                store: store,
                observability: observed,
                services: services + storeServices,
                connections: ServerLaunch.connectionPools(observability: observed, logger: logger),
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
