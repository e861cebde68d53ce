import ArgumentParser
import FlowCore
import Foundation

struct VisualizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visualize",
        abstract: "Draw a flow as a Mermaid flowchart, an SVG image or a self-contained HTML page.",
        discussion: """
            Exit status: 0 when the diagram was written, 1 when the output file cannot be written, 2 when the \
            flow file is invalid (its diagnostics are printed to standard error).
            """
    )

    /// What `--format` accepts.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        /// The flowchart in a ```mermaid fence.
        case mermaid
        /// An HTML page that shows the SVG image and loads nothing.
        case html
        /// An SVG image drawn with the block layout, light and dark themes included.
        case svg
    }

    @Argument(help: "The flow file to draw.", completion: .file(extensions: ["yaml", "yml"]))
    var flowFile: String

    @Option(name: .long, help: "The output format.")
    var format: Format = .mermaid

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")
    )
    var output: String?

    func run() throws {
        let flow: FlowDefinition
        do {
            flow = try FlowLoader().load(contentsOf: flowFile)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        let text: String
        switch format {
        case .mermaid: text = MermaidDiagram.render(flow)
        case .html: text = DiagramPage.html(for: flow)
        case .svg: text = SVGDiagram.render(flow)
        }
        guard let output else {
            print(text)
            return
        }
        do {
            try (text.hasSuffix("\n") ? text : text + "\n").write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            printError("error: cannot write '\(output)': \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }

    private func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
