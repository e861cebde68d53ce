/// Walks a flow's steps and collects the flowchart's nodes and edges in creation order.
///
/// Every construct takes the open ends of the paths reaching it and returns the open ends leaving it (see
/// ``OpenEnd``), so edge labels are attached when the edge is created and stay right under any nesting.
struct DiagramBuilder {
    private(set) var nodes: [DiagramNode] = []
    private(set) var edges: [DiagramEdge] = []

    /// Builds the whole chart: Start, inputs, the steps, outputs, End.
    ///
    /// `on_cancel` cleanup steps are not drawn; they are not part of the normal flow of control.
    static func build(_ flow: FlowDefinition) -> DiagramBuilder {
        var builder = DiagramBuilder()
        let start = builder.addNode("Start", shape: .circle)
        var ends = [OpenEnd(from: start)]
        if !flow.inputs.isEmpty {
            let label = MermaidLabel(lines: ["Inputs:"] + flow.inputs.map(\.name))
            ends = [OpenEnd(from: builder.addNode(label, shape: .parallelogram, from: ends))]
        }
        ends = builder.addSteps(flow.steps, from: ends)
        if !flow.outputs.isEmpty {
            let label = MermaidLabel(lines: ["Outputs:"] + flow.outputs.map(\.name))
            ends = [OpenEnd(from: builder.addNode(label, shape: .parallelogram, from: ends))]
        }
        builder.addNode("End", shape: .circle, from: ends)
        return builder
    }

    // MARK: - Graph primitives

    /// Adds a node numbered in creation order and links every open end into it.
    @discardableResult
    mutating func addNode(_ label: MermaidLabel, shape: NodeShape, from ends: [OpenEnd] = []) -> String {
        let id = "node\(nodes.count)"
        nodes.append(DiagramNode(id: id, label: label, shape: shape))
        connect(ends, to: id)
        return id
    }

    /// Links every open end into `target`; an end without its own label gets `label`.
    mutating func connect(_ ends: [OpenEnd], to target: String, label: MermaidLabel? = nil) {
        for end in ends {
            edges.append(DiagramEdge(from: end.from, to: target, label: end.label ?? label, style: end.style))
        }
    }

    // MARK: - Steps

    /// Adds the steps one after another; returns the open ends after the last one.
    mutating func addSteps(_ steps: [Step], from ends: [OpenEnd]) -> [OpenEnd] {
        var ends = ends
        for step in steps { ends = addStep(step, from: ends) }
        return ends
    }

    mutating func addStep(_ step: Step, from ends: [OpenEnd]) -> [OpenEnd] {
        switch step {
        case .task(let task): addTask(task, from: ends)
        case .parallel(let parallel): addParallel(parallel, from: ends)
        case .conditional(let conditional): addConditional(conditional, from: ends)
        case .switchCase(let switchStep): addSwitch(switchStep, from: ends)
        case .forEach(let loop): addLoop(loop, from: ends)
        case .subflow(let subflow): addSubflow(subflow, from: ends)
        case .exit(let exit): addExit(exit, from: ends)
        }
    }

    /// A rectangle with the task name. A task-level `if` puts a decision before it whose `"false"` edge
    /// bypasses the task; `on_error` adds the handler after a dashed `"error"` edge.
    mutating func addTask(_ task: TaskStep, from ends: [OpenEnd]) -> [OpenEnd] {
        var incoming = ends
        var bypass: [OpenEnd] = []
        if let condition = task.condition {
            let decision = addNode(MermaidLabel("If: " + DiagramText.question(condition)), shape: .hexagon, from: ends)
            incoming = [OpenEnd(from: decision, label: "true")]
            bypass = [OpenEnd(from: decision, label: "false")]
        }
        let node = addNode(MermaidLabel(task.task), shape: .rectangle, from: incoming)
        return addErrorHandler(task.onError, of: node) + bypass
    }

    /// "Fork: Run in Parallel", each branch from the fork, then "Join: Wait for All".
    mutating func addParallel(_ parallel: ParallelStep, from ends: [OpenEnd]) -> [OpenEnd] {
        let fork = addNode("Fork: Run in Parallel", shape: .hexagon, from: ends)
        var branchEnds: [OpenEnd] = []
        for branch in parallel.branches {
            branchEnds += addSteps(branch, from: [OpenEnd(from: fork)])
        }
        return [OpenEnd(from: addNode("Join: Wait for All", shape: .hexagon, from: branchEnds))]
    }

    /// "If: <question>" with a `"true"` edge into `then` and a `"false"` edge into `else` (or straight to
    /// "End If" when there is no else), both branches joining at "End If".
    mutating func addConditional(_ conditional: ConditionalStep, from ends: [OpenEnd]) -> [OpenEnd] {
        let label = MermaidLabel("If: " + DiagramText.question(conditional.condition))
        let decision = addNode(label, shape: .hexagon, from: ends)
        let thenEnds = addSteps(conditional.thenSteps, from: [OpenEnd(from: decision, label: "true")])
        let elseEnds = addSteps(conditional.elseSteps, from: [OpenEnd(from: decision, label: "false")])
        return [OpenEnd(from: addNode("End If", shape: .hexagon, from: thenEnds + elseEnds))]
    }

    /// "Switch: <value>" with one edge per case labelled with its `when` value(s) and a `"default"` edge
    /// (into the default steps, or straight to "End Switch" when there are none).
    mutating func addSwitch(_ switchStep: SwitchStep, from ends: [OpenEnd]) -> [OpenEnd] {
        let label = MermaidLabel("Switch: " + DiagramText.shortened(DiagramText.text(of: switchStep.value)))
        let decision = addNode(label, shape: .hexagon, from: ends)
        var caseEnds: [OpenEnd] = []
        for switchCase in switchStep.cases {
            let caseLabel = MermaidLabel(DiagramText.caseLabel(switchCase.match))
            caseEnds += addSteps(switchCase.steps, from: [OpenEnd(from: decision, label: caseLabel)])
        }
        caseEnds += addSteps(switchStep.defaultSteps ?? [], from: [OpenEnd(from: decision, label: "default")])
        return [OpenEnd(from: addNode("End Switch", shape: .hexagon, from: caseEnds))]
    }

    /// "Loop: for each <as>" into the body, a `"next"` edge back from the body's end, and a `"done"` edge to
    /// "End Loop".
    mutating func addLoop(_ loop: ForEachStep, from ends: [OpenEnd]) -> [OpenEnd] {
        let head = addNode(MermaidLabel("Loop: for each " + loop.variable), shape: .hexagon, from: ends)
        if !loop.steps.isEmpty {
            let bodyEnds = addSteps(loop.steps, from: [OpenEnd(from: head)])
            connect(bodyEnds, to: head, label: "next")
        }
        let end = addNode("End Loop", shape: .hexagon)
        connect([OpenEnd(from: head)], to: end, label: "done")
        return [OpenEnd(from: end)]
    }

    /// A subroutine shape "Subflow: <name>", with its `on_error` handler if any.
    mutating func addSubflow(_ subflow: SubflowStep, from ends: [OpenEnd]) -> [OpenEnd] {
        let node = addNode(MermaidLabel("Subflow: " + subflow.name), shape: .subroutine, from: ends)
        return addErrorHandler(subflow.onError, of: node)
    }

    /// A stadium "Exit: <reason>" (or "Exit"). It leaves no open end: nothing after it is linked from it.
    mutating func addExit(_ exit: ExitStep, from ends: [OpenEnd]) -> [OpenEnd] {
        let reason = exit.reason.map(DiagramText.text(of:)) ?? ""
        addNode(MermaidLabel(reason.isEmpty ? "Exit" : "Exit: " + reason), shape: .stadium, from: ends)
        return []
    }

    /// The open ends after a step at `node`: the step itself and, when it has a handler, the handler's steps
    /// entered by a dashed `"error"` edge.
    mutating func addErrorHandler(_ handler: [Step]?, of node: String) -> [OpenEnd] {
        guard let handler else { return [OpenEnd(from: node)] }
        let handlerEnds = addSteps(handler, from: [OpenEnd(from: node, label: "error", style: .dashed)])
        return [OpenEnd(from: node)] + handlerEnds
    }
}
