import FlowCore
import Foundation
import OrderedCollections

/// `/ui/flows/{flow}`: the flow's diagram, its YAML with line numbers (the problems of a reload that failed at
/// their lines), and the form that starts a run; `?run=<id>` fills the form with that run's inputs.
enum ConsoleFlowPage {
    static func html(
        _ flow: ServedFlow, source: String?, problems: [Diagnostic], values: OrderedDictionary<String, FlowValue>
    ) -> String {
        let definition = flow.definition
        let name = ConsoleHTML.escape(flow.name)
        let readiness =
            flow.readiness.isReady
            ? "All \(flow.readiness.total) tasks are implemented."
            : "\(flow.readiness.progress) tasks implemented; pending: \(ConsoleHTML.escape(flow.readiness.pending.joined(separator: ", ")))."
        let body = """
            <h1>\(name)\(flow.version.map { " <small>\(ConsoleHTML.escape($0))</small>" } ?? "")</h1>
            \(definition.description.map { "<p class=\"description\">\(ConsoleHTML.escape($0))</p>" } ?? "")
            <p>\(readiness) Triggers: \(ConsoleFlowsPage.triggers(definition.triggers)). \
            <a href="/ui/executions?flow=\(ConsoleHTML.escape(ConsoleHTML.component(flow.name)))">Runs of this flow</a></p>
            <section aria-labelledby="run-heading"><h2 id="run-heading">Start a run</h2>
            \(ConsoleInputForm.html(flow, values: values))</section>
            <section aria-labelledby="diagram-heading"><h2 id="diagram-heading">Diagram</h2>
            <figure class="diagram" id="diagram">\(ConsoleDiagram.svg(definition))</figure></section>
            <section aria-labelledby="source-heading"><h2 id="source-heading">Source</h2>\(yaml(source, problems: problems))</section>
            """
        return ConsoleHTML.page(title: flow.name, section: .flows, body: body)
    }

    /// The YAML as numbered lines; each problem after its line (problems without a line of the text come first).
    static func yaml(_ source: String?, problems: [Diagnostic]) -> String {
        let byLine = Dictionary(grouping: problems, by: \.location.line)
        var notice = ""
        if !problems.isEmpty {
            notice =
                "<p class=\"error\">The last reload of this file failed; the server still runs the version before it.</p>"
        }
        guard let source else { return notice + "<p>The flow's source file is not available.</p>" }
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let count = lines.last?.isEmpty == true ? lines.count - 1 : lines.count
        let outside = problems.filter { $0.location.line < 1 || $0.location.line > count }
        var items = outside.map { "<li class=\"problem\" value=\"0\">\(ConsoleHTML.escape($0.message))</li>" }
        for (index, line) in lines.prefix(count).enumerated() {
            let number = index + 1
            let problem =
                byLine[number].map { list in
                    list.map { "<span class=\"problem\" role=\"note\">\(ConsoleHTML.escape($0.message))</span>" }
                        .joined()
                } ?? ""
            items.append(
                "<li id=\"L\(number)\"\(problem.isEmpty ? "" : " class=\"has-problem\"")><code>\(ConsoleHTML.escape(line))</code>\(problem)</li>"
            )
        }
        return notice + "<ol class=\"yaml\" aria-label=\"YAML source with line numbers\">\(items.joined())</ol>"
    }
}
