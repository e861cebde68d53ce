import FlowCore

/// Helpers for the visualizer tests: render flow YAML written in a test.
enum Diagram {
    /// The fenced Mermaid diagram of the flow written as `yaml`.
    static func mermaid(_ yaml: String) throws -> String {
        MermaidDiagram.render(try loadFlow(yaml))
    }

    /// The diagram's node and edge lines (without the fence and "flowchart TD"), indentation included.
    static func lines(_ yaml: String) throws -> [String] {
        let lines = try mermaid(yaml).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return Array(lines.dropFirst(2).dropLast())
    }

    /// The HTML page of the flow written as `yaml`.
    static func page(_ yaml: String) throws -> String {
        DiagramPage.html(for: try loadFlow(yaml))
    }
}
