/// Turns a flow's steps into nested ``DiagramBlock``s, naming every step by its path.
///
/// A step's path is its ``StepPath``, the key of its events and journal entries in a run: `3`, `3.then.0`,
/// `3.else.1`, `4.case1.0`, `4.default.0`, `5[*].0` (a `for_each` body, any iteration), `6.branch1.0`,
/// `7.on_error.0` and `on_cancel.0`. Paths are unique where step ids are not (`id: pricing` in three switch
/// cases).
enum DiagramBlockBuilder {
    /// Start, the inputs, the steps, the outputs and End.
    static func main(_ flow: FlowDefinition) -> DiagramBlock {
        var blocks: [DiagramBlock] = [.node(BlockNode(key: "start", kind: .start, lines: ["Start"]))]
        if !flow.inputs.isEmpty {
            let names = flow.inputs.map(\.name).joined(separator: ", ")
            blocks.append(.node(BlockNode(key: "inputs", kind: .inputs, lines: ["inputs: " + names])))
        }
        if let steps = block(flow.steps, path: .root) { blocks.append(steps) }
        if !flow.outputs.isEmpty {
            let names = flow.outputs.map(\.name).joined(separator: ", ")
            blocks.append(.node(BlockNode(key: "outputs", kind: .outputs, lines: ["outputs: " + names])))
        }
        blocks.append(.node(BlockNode(key: "end", kind: .end, lines: ["End"])))
        return .sequence(blocks)
    }

    /// "On cancel", the `on_cancel` steps and their end; nil when the flow has none.
    static func onCancel(_ flow: FlowDefinition) -> DiagramBlock? {
        guard let steps = block(flow.onCancel, path: StepPath.root.list("on_cancel")) else { return nil }
        return .sequence([
            .node(BlockNode(key: "on_cancel", kind: .cancel, lines: ["On cancel"])), steps,
            .node(BlockNode(key: "on_cancel/end", kind: .end, lines: ["End"])),
        ])
    }

    /// The steps of the list at `path` one under the other; nil for an empty list.
    static func block(_ steps: [Step], path: StepPath) -> DiagramBlock? {
        guard !steps.isEmpty else { return nil }
        let blocks = steps.enumerated().map { index, step in block(step, path: path.step(index)) }
        return blocks.count == 1 ? blocks[0] : .sequence(blocks)
    }

    static func block(_ step: Step, path: StepPath) -> DiagramBlock {
        switch step {
        case .task(let task): taskBlock(task, path: path)
        case .parallel(let parallel): parallelBlock(parallel, path: path)
        case .conditional(let conditional): conditionalBlock(conditional, path: path)
        case .switchCase(let switchStep): switchBlock(switchStep, path: path)
        case .forEach(let loop): loopBlock(loop, path: path)
        case .subflow(let subflow):
            withHandler(
                BlockNode(
                    key: path.description, kind: .subflow, lines: ["subflow: " + subflow.name],
                    stepPath: path.description, eventStepId: subflow.stepId.rawValue),
                subflow.onError, path: path
            )
        case .exit(let exit):
            .node(BlockNode(key: path.description, kind: .exit, lines: [exitLabel(exit)], stepPath: path.description))
        }
    }

    /// The task; a task-level `if` puts a decision before it whose `false` branch bypasses it.
    static func taskBlock(_ task: TaskStep, path: StepPath) -> DiagramBlock {
        let node = BlockNode(
            key: path.description, kind: .task, lines: [task.task], stepPath: path.description,
            eventStepId: task.stepId.rawValue
        )
        let body = withHandler(node, task.onError, path: path)
        guard let condition = task.condition else { return body }
        return .branches(
            split: BlockNode(
                key: path.description + "/if", kind: .decision,
                lines: ["if " + DiagramText.question(condition, limit: .max)]),
            [DiagramBranch(label: "true", block: body), DiagramBranch(label: "false")],
            join: BlockNode(key: path.description + "/if-end", kind: .merge, lines: ["end if"]),
            trunk: 0
        )
    }

    /// `node` alone, or `node` with its `on_error` steps beside the straight path on a dashed `error` edge.
    static func withHandler(_ node: BlockNode, _ handler: [Step]?, path: StepPath) -> DiagramBlock {
        guard let handler else { return .node(node) }
        return .branches(
            split: node,
            [
                DiagramBranch(),
                DiagramBranch(label: "error", style: .dashed, block: block(handler, path: path.list("on_error"))),
            ],
            join: BlockNode(key: path.description + "/end", kind: .merge, lines: ["after " + (node.lines.first ?? "")]),
            trunk: 0
        )
    }

    /// A fork bar, one branch per `parallel:` entry, a join bar.
    static func parallelBlock(_ parallel: ParallelStep, path: StepPath) -> DiagramBlock {
        let branches = parallel.branches.enumerated().map { index, steps in
            let branchPath = path.list("branch" + String(index))
            return DiagramBranch(
                block: steps.count == 1 ? block(steps[0], path: branchPath.step(0)) : block(steps, path: branchPath))
        }
        return .branches(
            split: BlockNode(
                key: path.description, kind: .fork, lines: ["run in parallel"], stepPath: path.description),
            branches,
            join: BlockNode(key: path.description + "/end", kind: .join, lines: ["wait for all"]),
            trunk: nil
        )
    }

    /// A decision with a `true` branch and a `false` branch, either of which may be empty.
    static func conditionalBlock(_ conditional: ConditionalStep, path: StepPath) -> DiagramBlock {
        .branches(
            split: BlockNode(
                key: path.description, kind: .decision,
                lines: ["if " + DiagramText.question(conditional.condition, limit: .max)], stepPath: path.description
            ),
            [
                DiagramBranch(label: "true", block: block(conditional.thenSteps, path: path.list("then"))),
                DiagramBranch(label: "false", block: block(conditional.elseSteps, path: path.list("else"))),
            ],
            join: BlockNode(key: path.description + "/end", kind: .merge, lines: ["end if"]),
            trunk: nil
        )
    }

    /// A decision with one branch per case, labelled with its `when` value(s), and a `default` branch.
    static func switchBlock(_ switchStep: SwitchStep, path: StepPath) -> DiagramBlock {
        var branches = switchStep.cases.enumerated().map { index, switchCase in
            DiagramBranch(
                label: DiagramText.caseLabel(switchCase.match),
                block: block(switchCase.steps, path: path.list("case" + String(index))))
        }
        branches.append(
            DiagramBranch(label: "default", block: block(switchStep.defaultSteps ?? [], path: path.list("default"))))
        let value = DiagramText.withoutReferenceMarkers(DiagramText.text(of: switchStep.value))
        return .branches(
            split: BlockNode(
                key: path.description, kind: .decision, lines: ["switch " + value], stepPath: path.description),
            branches,
            join: BlockNode(key: path.description + "/end", kind: .merge, lines: ["end switch"]),
            trunk: nil
        )
    }

    /// "for each <as>" over "in <items>", the body, and the loop's end.
    static func loopBlock(_ loop: ForEachStep, path: StepPath) -> DiagramBlock {
        let items = DiagramText.withoutReferenceMarkers(DiagramText.text(of: loop.items))
        return .loop(
            head: BlockNode(
                key: path.description, kind: .loop, lines: ["for each " + loop.variable, "in " + items],
                stepPath: path.description),
            body: block(loop.steps, path: path.anyIteration()),
            end: BlockNode(key: path.description + "/end", kind: .merge, lines: ["end loop"])
        )
    }

    /// "exit: <reason>", or "exit".
    static func exitLabel(_ exit: ExitStep) -> String {
        let reason = exit.reason.map(DiagramText.text(of:)) ?? ""
        return reason.isEmpty ? "exit" : "exit: " + reason
    }
}
