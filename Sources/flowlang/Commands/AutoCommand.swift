import ArgumentParser
import FlowScaffold

struct AutoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auto",
        abstract: "Validate a flow, then update its package at <flow dir>/<flow name>, or scaffold it there.",
        discussion: "Exit status: 0 done, 1 refused, 2 invalid flow."
    )

    @Argument(help: "The flow file.", completion: .file(extensions: ["yaml", "yml"]))
    var flowFile: String

    @OptionGroup var options: GenerationOptions

    func run() throws {
        try finish(ProjectGenerator.auto(options.request(flowFile: flowFile, outputDirectory: "", force: false)))
    }
}

struct AutoAllCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auto-all",
        abstract: "Run `auto` for every flow file in a directory (not recursive) and print a summary.",
        discussion: "Exit status: 0 when every file succeeded, 1 when any failed or no file matched."
    )

    @Argument(help: "The directory holding flow files.", completion: .directory)
    var directory: String

    @Option(name: .long, help: "Which file names to take.")
    var pattern: String = "*.yaml"

    @OptionGroup var options: GenerationOptions

    func run() throws {
        let template = options.request(flowFile: "", outputDirectory: "", force: false)
        try finish(ProjectGenerator.autoAll(directory: directory, pattern: pattern, template: template))
    }
}
