import ArgumentParser
import FlowScaffold

struct UpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Merge a changed flow into its task package without losing code, and print a merge summary.",
        discussion: """
            Implemented tasks are never touched (changed inputs are reported as "signature changed"); stubs are \
            regenerated; new tasks get stubs and tests; tasks no longer in the flow move to the Orphaned/ folder; \
            generated files you edited are left alone, with the new version written beside them. \
            Exit status: 0 updated, 1 no project there, 2 invalid flow.
            """
    )

    @Argument(help: "The flow file.", completion: .file(extensions: ["yaml", "yml"]))
    var flowFile: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The package directory.", valueName: "dir"))
    var output: String = "."

    @OptionGroup var options: GenerationOptions

    func run() throws {
        try finish(ProjectGenerator.update(options.request(flowFile: flowFile, outputDirectory: output, force: false)))
    }
}
