import FlowCore

/// The task, subflow and loop steps a flow can run, by the path diagrams name them with (`4[*].1` for any
/// iteration of a loop body): what a finished run's steps without events are measured against.
struct ConsoleStepPlan {
    struct Planned: Equatable {
        enum Kind: Equatable {
            case task
            case subflow
            /// A `for_each`, with its loop variable.
            case loop(variable: String)
        }

        var pattern: String
        /// The `step_id` its events would carry; the variable's loop has none.
        var id: String
        var kind: Kind
        /// A task step that sends no events (`silent:`): without events it may still have run.
        var silent: Bool
    }

    /// In the order the flow is written, `on_cancel` last.
    private(set) var steps: [Planned] = []
    /// Indexes in `steps` by pattern.
    private var byPattern: [String: Int] = [:]

    init(_ flow: FlowDefinition) {
        add(flow.steps, under: "", silent: flow.silent)
        add(flow.onCancel, under: "on_cancel", silent: flow.silent)
        byPattern = Dictionary(steps.enumerated().map { ($1.pattern, $0) }) { first, _ in first }
    }

    /// The planned step drawn at `pattern`, if any.
    func step(at pattern: String) -> Planned? {
        byPattern[pattern].map { steps[$0] }
    }

    private mutating func add(_ list: [Step], under prefix: String, silent flowSilent: Bool) {
        for (index, step) in list.enumerated() {
            let path = prefix.isEmpty ? String(index) : prefix + "." + String(index)
            switch step {
            case .task(let task):
                steps.append(
                    Planned(pattern: path, id: task.stepId.rawValue, kind: .task, silent: task.silent ?? flowSilent))
                add(task.onError ?? [], under: path + ".on_error", silent: flowSilent)
            case .subflow(let subflow):
                steps.append(Planned(pattern: path, id: subflow.stepId.rawValue, kind: .subflow, silent: false))
                add(subflow.onError ?? [], under: path + ".on_error", silent: flowSilent)
            case .forEach(let loop):
                steps.append(
                    Planned(pattern: path, id: loop.id ?? "", kind: .loop(variable: loop.variable), silent: false))
                add(loop.steps, under: path + "[*]", silent: flowSilent)
            case .parallel(let parallel):
                for (branch, steps) in parallel.branches.enumerated() {
                    add(steps, under: path + ".branch" + String(branch), silent: flowSilent)
                }
            case .conditional(let conditional):
                add(conditional.thenSteps, under: path + ".then", silent: flowSilent)
                add(conditional.elseSteps, under: path + ".else", silent: flowSilent)
            case .switchCase(let switchStep):
                for (number, switchCase) in switchStep.cases.enumerated() {
                    add(switchCase.steps, under: path + ".case" + String(number), silent: flowSilent)
                }
                add(switchStep.defaultSteps ?? [], under: path + ".default", silent: flowSilent)
            case .exit:
                continue
            }
        }
    }
}
