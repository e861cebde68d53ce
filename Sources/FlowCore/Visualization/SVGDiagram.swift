/// Draws a flow as a self-contained SVG image with the block layout (`flowlang visualize --format svg`,
/// `GET /flows/{name}/visualize?format=svg`, and inline in the HTML page).
///
/// The flow runs top to bottom from Start to End; its `on_cancel` steps, if any, stand in a column of their
/// own at the right. See ``BlockLayout`` for where things go. Every node is a `<g class="node KIND">` with
/// `data-node` (unique in the image; edges refer to it), and for a step `data-step-id` (its path, such as
/// `2.then.0`) and, for task and subflow steps, `data-step` (the `step_id` of its events). Every edge
/// is a `<g class="edge STYLE">` with `data-from` and `data-to` naming the nodes it joins. A label cut to fit
/// keeps its full text in a `<title>`. Colours come from a `<style>` inside the image, with a dark theme
/// under `prefers-color-scheme: dark`; the image loads nothing and runs no script.
public enum SVGDiagram {
    /// The SVG document for `flow`. `loopCounts`, by step path, puts "×N" under those loops' heads (the
    /// iterations of a run).
    public static func render(_ flow: FlowDefinition, loopCounts: [String: Int] = [:]) -> String {
        let main = BlockLayout(DiagramBlockBuilder.main(flow))
        let cancel = DiagramBlockBuilder.onCancel(flow).map(BlockLayout.init)
        let margin = DiagramMetrics.margin
        var drawing = BlockLayout()
        drawing.add(main, x: margin + main.left, y: margin)
        var width = margin + main.left + main.right + margin
        var height = main.height
        if let cancel {
            let x = width - margin + DiagramMetrics.cancelGap + cancel.left
            drawing.add(cancel, x: x, y: margin)
            width = x + cancel.right + margin
            height = max(height, cancel.height)
        }
        height += 2 * margin

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="flowlang-diagram" viewBox="0 0 \(width) \(height)" \
            width="\(width)" height="\(height)" role="img" data-flow="\(XMLText.escaped(flow.name))">
            <title>\(XMLText.escaped(flow.name))</title>
            <style>
            \(stylesheet)
            </style>
            <defs><marker id="flowlang-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" \
            orient="auto-start-reverse"><path class="arrowhead" d="M0 0L10 5L0 10z"/></marker></defs>
            <rect class="background" width="\(width)" height="\(height)"/>

            """
        for edge in drawing.edges { svg += self.edge(edge) }
        for placed in drawing.nodes { svg += node(placed, count: placed.node.stepPath.flatMap { loopCounts[$0] }) }
        return svg + "</svg>\n"
    }

    /// `<g class="edge STYLE" data-from data-to>` with its path and label.
    static func edge(_ edge: BlockEdge) -> String {
        let path = edge.points.enumerated().map { index, point in "\(index == 0 ? "M" : "L")\(point.x) \(point.y)" }
            .joined()
        var text =
            "<g class=\"edge \(edge.style.rawValue)\" data-from=\"\(XMLText.escaped(edge.from))\" data-to=\"\(XMLText.escaped(edge.to))\">"
        if let label = edge.label, let position = edge.labelPosition {
            let shown = DiagramMetrics.displayed(label, limit: DiagramMetrics.maximumEdgeLabelLength)
            if shown != label { text += "<title>\(XMLText.escaped(label))</title>" }
            text += "<path d=\"\(path)\" marker-end=\"url(#flowlang-arrow)\"/>"
            let anchor = edge.labelEndsAtPosition ? " text-anchor=\"end\"" : ""
            text +=
                "<text class=\"edge-label\" x=\"\(position.x)\" y=\"\(position.y)\"\(anchor)>\(XMLText.escaped(shown))</text>"
        } else {
            text += "<path d=\"\(path)\" marker-end=\"url(#flowlang-arrow)\"/>"
        }
        return text + "</g>\n"
    }

    /// `<g class="node KIND" data-node …>` with its title, shape, label lines and loop count.
    static func node(_ placed: BlockLayout.PlacedNode, count: Int?) -> String {
        let node = placed.node
        let frame = placed.frame
        var text = "<g class=\"node \(node.kind.rawValue)\" data-node=\"\(XMLText.escaped(node.key))\""
        if let path = node.stepPath { text += " data-step-id=\"\(XMLText.escaped(path))\"" }
        if let stepId = node.eventStepId { text += " data-step=\"\(XMLText.escaped(stepId))\"" }
        text += ">"
        let labelled = hasVisibleLabel(node.kind)
        if !labelled || DiagramMetrics.isShortened(node.lines) {
            text += "<title>\(XMLText.escaped(node.lines.joined(separator: "\n")))</title>"
        }
        text += shape(node.kind, frame)
        if labelled {
            let centre = frame.x + frame.width / 2
            let firstBaseline = frame.y + frame.height / 2 + 4 - (node.lines.count - 1) * 8
            for (index, line) in node.lines.enumerated() {
                let detail = index > 0 ? " class=\"detail\"" : ""
                text += "<text\(detail) x=\"\(centre)\" y=\"\(firstBaseline + index * 16)\" text-anchor=\"middle\">"
                text += XMLText.escaped(DiagramMetrics.displayed(line)) + "</text>"
            }
        }
        if let count {
            text += "<text class=\"count\" x=\"\(frame.x + frame.width - 4)\" y=\"\(frame.y + frame.height + 14)\" "
            text += "text-anchor=\"end\">×\(count)</text>"
        }
        return text + "</g>\n"
    }

    /// Whether the kind shows its text; bars and merge points only carry it in their title.
    static func hasVisibleLabel(_ kind: BlockNode.Kind) -> Bool {
        switch kind {
        case .fork, .join, .merge: false
        default: true
        }
    }

    /// The node's outline, filling `frame` exactly: its first element is the shape whose box is `frame`.
    static func shape(_ kind: BlockNode.Kind, _ frame: DiagramRect) -> String {
        let (x, y, width, height) = (frame.x, frame.y, frame.width, frame.height)
        let box = "x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\""
        switch kind {
        case .start, .end, .merge:
            return "<circle cx=\"\(x + width / 2)\" cy=\"\(y + height / 2)\" r=\"\(width / 2)\"/>"
        case .task:
            return "<rect \(box) rx=\"6\"/>"
        case .fork, .join:
            return "<rect \(box) rx=\"2\"/>"
        case .exit, .cancel:
            return "<rect \(box) rx=\"\(height / 2)\"/>"
        case .subflow:
            return
                "<rect \(box) rx=\"2\"/><path class=\"inner\" d=\"M\(x + 8) \(y)V\(y + height)M\(x + width - 8) \(y)V\(y + height)\"/>"
        case .inputs, .outputs:
            let slant = DiagramMetrics.slant(of: kind)
            return polygon([(x + slant, y), (x + width, y), (x + width - slant, y + height), (x, y + height)])
        case .decision, .loop:
            let slant = DiagramMetrics.slant(of: kind)
            return polygon([
                (x + slant, y), (x + width - slant, y), (x + width, y + height / 2),
                (x + width - slant, y + height), (x + slant, y + height), (x, y + height / 2),
            ])
        }
    }

    private static func polygon(_ points: [(Int, Int)]) -> String {
        "<polygon points=\"" + points.map { "\($0.0),\($0.1)" }.joined(separator: " ") + "\"/>"
    }
}
