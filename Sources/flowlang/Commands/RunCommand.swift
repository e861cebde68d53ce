import ArgumentParser
import FlowConnections
import FlowCore
import Logging

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a flow once with the built-in tasks and print the result.",
        discussion: """
            Exit status: 0 when the flow succeeded or ended at an exit step, 1 when it failed or was \
            cancelled, 2 when the flow file or the inputs are invalid.
            """
    )

    @Argument(help: "The flow file to run.", completion: .file(extensions: ["yaml", "yml"]))
    var flowFile: String

    @Option(name: .long, help: "Inputs as a JSON object, or @path to a JSON file.")
    var inputs: String = "{}"

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        var registry = TaskRegistry()
        registry.registerDatabaseTasks()
        let outcome = try await ConnectionPools.withPools(logger: Logger(label: "flowlang")) { pools in
            await FlowRun.run(
                file: flowFile, inputsArgument: inputs, json: json, registry: registry, connections: pools)
        }
        print(outcome.text)
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
