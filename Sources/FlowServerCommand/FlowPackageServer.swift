import ArgumentParser
import FlowConnections
public import FlowCore
import FlowServer
import Foundation
import Logging

/// The program of a task package's server: `flowlang scaffold` generates a `main` that calls
/// ``main(name:sourceFile:makeRegistry:)`` with the package's tasks, and the rest is shared with
/// `flowlang serve`: the same flags, environment variables and `.env` files (``ServerSettingsOptions``),
/// the same refusal of bad values (exit 2), and the same logging, metrics and tracing.
///
/// ```swift
/// import FlowServerCommand
/// import OrderFulfillmentTasks
///
/// @main
/// enum OrderFulfillmentServer {
///     static func main() async {
///         await FlowPackageServer.main(name: "OrderFulfillmentServer") { makeTaskRegistry() }
///     }
/// }
/// ```
///
/// `NAME [serve] [options]` serves the flow (`--flow FILE`, else `$FLOW_FILE`, else `./flow.yaml`, else the
/// package's own); `NAME run --inputs JSON` runs it once and prints the result as JSON.
public enum FlowPackageServer {
    /// Parses the command line and runs the command it names; never returns while serving.
    ///
    /// - Parameters:
    ///   - name: the program's name, for help, log labels and the tracing service name.
    ///   - sourceFile: the `main` file's `#filePath`; the package's flow.yaml is three folders up
    ///     (`Sources/<Target>/<File>.swift`).
    ///   - makeRegistry: the package's tasks. The built-in tasks are always there, and the HttpRequest task
    ///     is added unless the registry has its own.
    public static func main(
        name: String,
        sourceFile: String = #filePath,
        makeRegistry: @escaping @Sendable () -> TaskRegistry
    ) async {
        let program = Program(
            name: name, packageFlowFile: packageFlowFile(sourceFile: sourceFile), makeRegistry: makeRegistry)
        do {
            var command = try PackageServerCommand.parseAsRoot(Array(CommandLine.arguments.dropFirst()))
            switch command {
            case let serve as PackageServeCommand:
                try await serve.serve(program)
            case let run as PackageRunCommand:
                await run.run(program)
            default:
                try command.run()
            }
        } catch {
            PackageServerCommand.exit(withError: error)
        }
    }

    /// `flow.yaml` at the root of the package whose `main` is `sourceFile`.
    static func packageFlowFile(sourceFile: String) -> String {
        URL(fileURLWithPath: sourceFile)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("flow.yaml").path
    }

    /// What the generated `main` passes in.
    struct Program: Sendable {
        var name: String
        var packageFlowFile: String
        var makeRegistry: @Sendable () -> TaskRegistry

        /// The package's tasks, the built-ins and the HttpRequest task.
        func registry() -> TaskRegistry {
            var registry = makeRegistry()
            if registry.task(named: "HttpRequest") == nil { registry.registerHTTPTasks() }
            registry.registerDatabaseTasks()
            return registry
        }

        /// `--flow`, else `$FLOW_FILE`, else `./flow.yaml` when it exists, else the package's flow.yaml.
        func flowFile(_ option: String?) -> String {
            if let option { return option }
            if let file = ProcessInfo.processInfo.environment["FLOW_FILE"], !file.isEmpty { return file }
            if FileManager.default.fileExists(atPath: "flow.yaml") { return "flow.yaml" }
            return packageFlowFile
        }
    }
}

/// The root of a package server's command line: `serve` (the default) and `run`.
struct PackageServerCommand: ParsableCommand {
    /// Named after the program that runs it, which help and usage lines show.
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: ProcessInfo.processInfo.processName,
            abstract: "Serve this package's flow over HTTP, or run it once.",
            discussion: """
                Every server setting can be a flag, an environment variable or a line of a .env file (flag > \
                environment > .env > default), exactly as for `flowlang serve`; `serve --print-config` shows the \
                effective values with their sources, secrets masked. A bad value stops the start with exit status 2.
                """,
            subcommands: [PackageServeCommand.self, PackageRunCommand.self],
            defaultSubcommand: PackageServeCommand.self
        )
    }
}

/// `NAME serve`: the HTTP server, until SIGTERM or SIGINT.
struct PackageServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the flow: REST, Server-Sent Events, OpenAPI docs, health and metrics (the default)."
    )

    @Option(help: "The flow file (FLOW_FILE; default ./flow.yaml, else the package's own).", completion: .file())
    var flow: String?

    @Flag(help: "Serve edits of the flow file as soon as they load.")
    var reload = false

    @OptionGroup(title: "Server settings")
    var settings: ServerSettingsOptions

    func serve(_ program: FlowPackageServer.Program) async throws {
        let flowFile = program.flowFile(flow)
        var resolved = try ServerLaunch.resolve(settings, servedPath: flowFile)
        resolved.server.reload = reload
        if settings.printConfig {
            ServerLaunch.writeOutput(resolved.printableLines)
            return
        }
        let (observability, services) = try ServerLaunch.bootstrapObservability(
            resolved.logging,
            metrics: settings.metrics,
            serviceName: program.name
        )
        let logger = Logger(label: program.name)
        let (store, storeServices) = try await ServerLaunch.executionStore(
            resolved, servedPath: flowFile, logger: logger)
        do {
            try await FlowServe.run(
                path: flowFile,
                configuration: resolved.server,
                registry: program.registry(),
                store: store,
                observability: observability,
                services: services + storeServices,
                connections: ServerLaunch.connectionPools(observability: observability, logger: logger),
                logger: logger
            )
        } catch let error as ServerSetupError {
            ServerLaunch.printError(error.message)
            throw ExitCode(2)
        }
    }
}

/// `NAME run`: one execution, printed as JSON.
struct PackageRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the flow once and print the result as JSON.",
        discussion: "Exit status: 0 success, 1 the flow failed, 2 the flow or the inputs are invalid."
    )

    @Option(help: "The inputs as JSON, or @file.json.")
    var inputs = "{}"

    @Option(help: "The flow file (FLOW_FILE; default ./flow.yaml, else the package's own).", completion: .file())
    var flow: String?

    func run(_ program: FlowPackageServer.Program) async {
        // withPools only throws what its body throws, and FlowRun.run throws nothing.
        let outcome = try? await ConnectionPools.withPools(logger: Logger(label: program.name)) { pools in
            await FlowRun.run(
                file: program.flowFile(flow), inputsArgument: inputs, json: true, registry: program.registry(),
                connections: pools)
        }
        guard let outcome else { Foundation.exit(1) }
        ServerLaunch.writeOutput([outcome.text])
        Foundation.exit(outcome.exitCode)
    }
}
