/// The shape a flowchart node is drawn with.
enum NodeShape: Sendable {
    /// `(("…"))`: Start and End.
    case circle
    /// `[/"…"/]`: inputs and outputs.
    case parallelogram
    /// `["…"]`: tasks.
    case rectangle
    /// `{{"…"}}`: decisions, fork/join, loop and end markers.
    case hexagon
    /// `[["…"]]`: subflow calls.
    case subroutine
    /// `(["…"])`: exit steps.
    case stadium
}

/// One node of the flowchart.
struct DiagramNode: Sendable {
    let id: String
    let label: MermaidLabel
    let shape: NodeShape

    /// The node's Mermaid definition, without indentation.
    var mermaid: String {
        let text = "\"" + label.escaped + "\""
        switch shape {
        case .circle: return "\(id)((\(text)))"
        case .parallelogram: return "\(id)[/\(text)/]"
        case .rectangle: return "\(id)[\(text)]"
        case .hexagon: return "\(id){{\(text)}}"
        case .subroutine: return "\(id)[[\(text)]]"
        case .stadium: return "\(id)([\(text)])"
        }
    }
}

/// How an edge is drawn.
enum EdgeStyle: Sendable {
    /// `-->`: the normal flow of control.
    case solid
    /// `-.->`: the path taken when a step fails into its `on_error` handler.
    case dashed
}

/// One edge of the flowchart.
struct DiagramEdge: Sendable {
    let from: String
    let to: String
    let label: MermaidLabel?
    let style: EdgeStyle

    /// The edge's Mermaid definition, without indentation.
    var mermaid: String {
        let arrow = style == .solid ? "-->" : "-.->"
        guard let label else { return "\(from) \(arrow) \(to)" }
        return "\(from) \(arrow)|\"\(label.escaped)\"| \(to)"
    }
}

/// A path leaving a node that has not reached its next node yet.
///
/// Building a step list passes these along: each new node takes every open end as an incoming edge. A label
/// (such as `"false"` of a decision without `else`) travels with the open end until it is drawn, so labels
/// never have to be patched onto edges afterwards. A path that ends at an `exit` leaves no open end.
struct OpenEnd: Sendable {
    let from: String
    var label: MermaidLabel?
    var style: EdgeStyle

    init(from: String, label: MermaidLabel? = nil, style: EdgeStyle = .solid) {
        self.from = from
        self.label = label
        self.style = style
    }
}
