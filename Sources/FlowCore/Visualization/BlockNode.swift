/// One node of the block diagram.
struct BlockNode: Sendable {
    /// What the node stands for; it picks the shape and the CSS class.
    enum Kind: String, Sendable {
        case start, end, inputs, outputs, task, subflow, exit, decision, fork, join, loop, merge, cancel
    }

    /// Unique in the diagram: the step path for a step's own node, else a path-derived or fixed name.
    let key: String
    let kind: Kind
    /// The full text, one entry a line; the drawing may shorten lines.
    let lines: [String]
    /// The path of the step this node draws (`2.then.0`), nil for structural nodes.
    var stepPath: String?
    /// The id the step's events carry (`step_id`), for task and subflow steps.
    var eventStepId: String?

    init(key: String, kind: Kind, lines: [String] = [], stepPath: String? = nil, eventStepId: String? = nil) {
        self.key = key
        self.kind = kind
        self.lines = lines
        self.stepPath = stepPath
        self.eventStepId = eventStepId
    }
}
