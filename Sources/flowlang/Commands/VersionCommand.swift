import ArgumentParser

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the FlowLang version.")

    func run() {
        print("flowlang \(FlowLangVersion.current)")
    }
}
