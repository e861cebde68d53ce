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
            """
    )

    @Argument(help: "A flow directory, a flow file, or a directory of flows.", completion: .directory)
    var path: String = "."

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port: Int = 8000

    @Flag(help: "Reload flow.yaml files when they change; rebuild and restart a package's server on Swift changes.")
    var reload = false

    @Flag(help: "Serve every task package and flow in PATH's child directories behind one address.")
    var multi = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535, got \(port)") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "flowlang")
        let development = DevelopmentServe.Options(host: host, port: port, reload: reload)
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
                configuration: ServerConfiguration(
                    host: host,
                    port: port,
                    reload: reload,
                    environment: ProcessInfo.processInfo.environment
                ),
                registry: registry,
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
