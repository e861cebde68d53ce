import ArgumentParser
import FlowCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a flow file and print its diagnostics as file:line:col: severity: message.",
        discussion: "Exits 0 when the flow is valid (warnings allowed) and 1 when it has errors."
    )

    @Argument(help: "The flow file to check.", completion: .file(extensions: ["yaml", "yml"]))
    var flowFile: String

    func run() throws {
        let report = FlowValidation.validate(file: flowFile)
        for line in report.lines { print(line) }
        if !report.isValid { throw ExitCode(1) }
    }
}
