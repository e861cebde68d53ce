import ArgumentParser
import FlowCore
import FlowServer
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve flows over HTTP: REST, Server-Sent Events, OpenAPI docs.",
        discussion: """
            PATH is one flow's directory (or flow file), or a directory of flows and projects. \
            Flows served this way run with the built-in tasks; a Swift package serves its own tasks \
            through the FlowServer library.
            """
    )

    @Argument(help: "A flow directory, a flow file, or a directory of flows.", completion: .directory)
    var path: String = "."

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port: Int = 8000

    @Flag(help: "Reload flow.yaml files when they change.")
    var reload = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @OptionGroup(title: "Observability")
    var observability: ObservabilityOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535, got \(port)") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let (observed, services) = try observability.bootstrap(level: level, environment: ProcessInfo.processInfo.environment)
        let logger = Logger(label: "flowlang")
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
                observability: observed,
                services: services,
                logger: logger
            )
        } catch let error as ServerSetupError {
            print("error: \(error.message)")
            throw ExitCode(2)
        }
    }
}
