import ArgumentParser

@main
struct FlowLangCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flowlang",
        abstract: "Run, check and serve FlowLang workflows.",
        version: FlowLangVersion.current,
        subcommands: [
            RunCommand.self, ValidateCommand.self, ServeCommand.self, VersionCommand.self, VisualizeCommand.self,
            ScaffoldCommand.self, UpdateCommand.self, AutoCommand.self, AutoAllCommand.self, WatchCommand.self,
            InitCommand.self, DoctorCommand.self, CompletionsCommand.self,
        ]
    )
}

enum FlowLangVersion {
    static let current = "0.1.0"
}
