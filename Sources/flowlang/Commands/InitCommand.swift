import ArgumentParser
import FlowDevelopment
import FlowScaffold

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a project: a starter flow.yaml from a template, scaffolded into a task package.",
        discussion: """
            Templates: \(ProjectTemplate.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")). \
            A non-empty directory is refused unless --force; replaced files are then backed up to .flowlang/backup/. \
            Exit status: 0 created, 1 refused, 2 bad arguments.
            """
    )

    @Argument(help: "The project directory (created when missing).", completion: .directory)
    var directory: String = "."

    @Option(
        name: [.short, .long],
        help: "The template: \(ProjectTemplate.allCases.map(\.rawValue).joined(separator: " or ")).")
    var template: String = ProjectTemplate.hello.rawValue

    @Option(name: [.short, .long], help: "The flow's name (default: from the directory's name).")
    var name: String?

    @Flag(help: "Write into a non-empty directory.")
    var force = false

    @OptionGroup var source: FlowLangSourceOption

    func validate() throws {
        guard ProjectTemplate(rawValue: template) != nil else {
            throw ValidationError(
                "unknown template '\(template)'; choose \(ProjectTemplate.allCases.map(\.rawValue).joined(separator: " or "))"
            )
        }
    }

    func run() throws {
        let outcome = ProjectInitializer.run(
            ProjectInitializer.Request(
                directory: directory,
                template: ProjectTemplate(rawValue: template) ?? .hello,
                name: name,
                force: force,
                flowLang: source.dependency,
                generatorVersion: FlowLangVersion.current
            )
        )
        print(outcome.text)
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
