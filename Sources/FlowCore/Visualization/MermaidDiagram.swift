/// Draws a flow as a Mermaid flowchart (`flowlang visualize`, `GET /flows/{name}/visualize`).
///
/// The layout follows the original visualizer: nodes numbered `node0`, `node1`, … in creation order; Start
/// and End circles; inputs and outputs as parallelograms; tasks as rectangles with the task name; hexagons
/// for decisions ("If: <question>", "Switch: <value>"), "Fork: Run in Parallel" / "Join: Wait for All",
/// "Loop: for each <as>" with `"next"`/`"done"` edges, and the "End If" / "End Switch" / "End Loop" joins.
/// Subflows are subroutines (`[["Subflow: name"]]`), exits are stadiums (`(["Exit: reason"])`) with no edge
/// onward, a task-level `if` is a decision whose `"false"` edge bypasses the task, and `on_error` handlers
/// hang off their step on a dashed `"error"` edge and rejoin after it. Every label is quoted and escaped.
public enum MermaidDiagram {
    /// The flowchart wrapped in a Markdown fence:
    /// "```mermaid", "flowchart TD", the node lines, the edge lines (indented four spaces), "```".
    ///
    /// There is no trailing newline after the closing fence.
    public static func render(_ flow: FlowDefinition) -> String {
        "```mermaid\n" + flowchart(flow) + "\n```"
    }

    /// The Mermaid source without the Markdown fence: "flowchart TD" and the node and edge lines.
    static func flowchart(_ flow: FlowDefinition) -> String {
        let builder = DiagramBuilder.build(flow)
        let definitions = builder.nodes.map(\.mermaid) + builder.edges.map(\.mermaid)
        return (["flowchart TD"] + definitions.map { "    " + $0 }).joined(separator: "\n")
    }
}
