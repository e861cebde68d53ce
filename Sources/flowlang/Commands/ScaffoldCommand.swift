import ArgumentParser
import FlowScaffold

/// Options shared by `scaffold`, `update`, `auto` and `auto-all`.
struct GenerationOptions: ParsableArguments {
    @Flag(name: .long, help: "Print what would be written, and the merge summary, without writing anything.")
    var dryRun = false

    @OptionGroup var source: FlowLangSourceOption

    func request(flowFile: String, outputDirectory: String, force: Bool) -> ProjectGenerator.Request {
        ProjectGenerator.Request(
            flowFile: flowFile,
            outputDirectory: outputDirectory,
            force: force,
            dryRun: dryRun,
            flowLang: source.dependency,
            generatorVersion: FlowLangVersion.current
        )
    }
}

/// Prints an outcome and exits with its code.
func finish(_ outcome: ProjectGenerator.Outcome) throws {
    print(outcome.text)
    if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
}

struct ScaffoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaffold",
        abstract: "Generate a Swift task package for a flow: task stubs, tests, a server and a README.",
        discussion: """
            Writes one file per task (a typed Input, a stub body and a `flowlang:stub` line to delete once \
            implemented), the task registry, a server executable, tests with every task mocked, a README and \
            tools/. A directory holding other files, or an existing flowlang project, is refused unless --force; \
            even then implemented task files are never overwritten, and replaced files are backed up to \
            .flowlang/backup/. Exit status: 0 written, 1 refused, 2 invalid flow.
            """
    )

    @Argument(help: "The flow file.", completion: .file(extensions: ["yaml", "yml"]))
    var flowFile: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The package directory.", valueName: "dir"))
    var output: String

    @Flag(
        name: .long, help: "Write into a non-empty directory or over an existing project (implemented tasks are kept).")
    var force = false

    @OptionGroup var options: GenerationOptions

    func run() throws {
        try finish(
            ProjectGenerator.scaffold(options.request(flowFile: flowFile, outputDirectory: output, force: force)))
    }
}
