import FlowCore

/// The execution page's list of steps: each step's inputs, outputs, attempts and error; each loop a `<details>`
/// with one `<details>` per iteration; each subflow step with its subflow's steps inside; then the flow's steps
/// without events, `pending` while the run goes on and `not run` once it ended.
///
/// Every entry carries `data-step-id` (the step path, or the loop's), `data-pattern` (the path the diagram draws
/// it at) and, for steps, `data-step` (the `step_id`), which the live script finds entries by.
enum ConsoleStepList {
    static func html(_ run: ConsoleRun, plan: ConsoleStepPlan?) -> String {
        var items = ConsoleStepTree.entries(run).map { item($0, plan: plan) }
        if let plan { items += withoutEvents(run, plan: plan) }
        guard !items.isEmpty else { return "<p id=\"steps\">No step has run yet.</p>" }
        return "<ol id=\"steps\" class=\"steps\">\(items.joined())</ol>"
    }

    private static func item(_ entry: ConsoleStepTree, plan: ConsoleStepPlan?) -> String {
        switch entry {
        case .step(let step, let children): stepItem(step, children: children, plan: plan)
        case .loop(let path, let iterations): loopItem(path, iterations: iterations, plan: plan)
        }
    }

    private static func stepItem(_ step: ConsoleRun.Step, children: [ConsoleStepTree], plan: ConsoleStepPlan?) -> String
    {
        let kind = step.isSubflow ? "Subflow" : "Task"
        var parts = ["<p>\(kind) <code>\(ConsoleHTML.escape(step.task))</code>, attempts: \(step.attempts)</p>"]
        if let error = step.error {
            parts.append(
                "<p class=\"error\">\(ConsoleHTML.escape(step.errorType ?? "Error")): \(ConsoleHTML.escape(error))</p>")
        }
        for (attempt, error) in step.retriedErrors.enumerated() {
            parts.append("<p class=\"retried\">Attempt \(attempt + 1) failed: \(ConsoleHTML.escape(error))</p>")
        }
        if let inputs = step.inputs { parts.append("<h4>Inputs</h4>" + ConsoleValue.html(inputs, label: "inputs")) }
        if let outputs = step.outputs {
            parts.append("<h4>Outputs</h4>" + ConsoleValue.html(outputs, label: "outputs"))
        }
        if step.isSubflow {
            let nested = children.map { item($0, plan: plan) }.joined()
            parts.append(
                "<h4>Steps of subflow <code>\(ConsoleHTML.escape(step.task))</code></h4>"
                    + (nested.isEmpty ? "<p>None with events.</p>" : "<ol class=\"steps nested\">\(nested)</ol>")
            )
        }
        return entry(
            id: step.id, path: step.path, pattern: step.pattern, shownPath: step.hasPath ? step.path : nil,
            status: step.status, open: step.status == "failed", content: parts.joined()
        )
    }

    private static func loopItem(_ path: String, iterations: [ConsoleStepTree.Iteration], plan: ConsoleStepPlan?)
        -> String
    {
        let pattern = ConsoleStepPath.pattern(path)
        var title = "Loop <code>\(ConsoleHTML.escape(path))</code>"
        if case .loop(let variable) = plan?.step(at: pattern)?.kind {
            title += " (for each \(ConsoleHTML.escape(variable)))"
        }
        let statuses = iterations.flatMap { $0.entries.flatMap(\.statuses) }
        let status = ConsoleRun.combined(statuses) ?? "completed"
        let items = iterations.map { iteration in
            let iterationStatus = ConsoleRun.combined(iteration.entries.flatMap(\.statuses)) ?? "completed"
            let open = iterationStatus == "failed" ? " open" : ""
            return """
                <li><details class="iteration" data-step-id="\(ConsoleHTML.escape(path))[\(iteration.index)]"\(open)>\
                <summary>Iteration \(iteration.index) \(ConsoleHTML.status(iterationStatus))</summary>\
                <ol class="steps nested">\(iteration.entries.map { item($0, plan: plan) }.joined())</ol></details></li>
                """
        }
        let count = iterations.count == 1 ? "1 iteration" : "\(iterations.count) iterations"
        return """
            <li><details class="loop" data-step-id="\(ConsoleHTML.escape(path))" data-pattern="\(ConsoleHTML.escape(pattern))"\
            \(status == "failed" ? " open" : "")><summary>\(title): <span class="count">\(count)</span> \(ConsoleHTML.status(status))</summary>\
            <p class="counts">\(counts(statuses))</p><ol class="iterations">\(items.joined())</ol></details></li>
            """
    }

    /// The flow's task and subflow steps that no event is about, in the order the flow has them.
    private static func withoutEvents(_ run: ConsoleRun, plan: ConsoleStepPlan) -> [String] {
        plan.steps.filter { planned in
            (planned.kind == .task || planned.kind == .subflow)
                && run.steps(drawnAt: planned.pattern, stepId: planned.id).isEmpty
        }.map { planned in
            let status = run.statusWithoutEvents(silent: planned.silent)
            let note =
                switch status {
                case "pending": "Not started yet."
                case "silent": "A silent step sends no events: it may have run."
                default:
                    "No event: the step did not run (a branch not taken, a false <code>if</code>, or after an exit or a failure)."
                }
            return entry(
                id: planned.id, path: planned.pattern, pattern: planned.pattern, shownPath: planned.pattern,
                status: status, open: false, content: "<p>\(note)</p>"
            )
        }
    }

    private static func entry(
        id: String, path: String, pattern: String, shownPath: String?, status: String, open: Bool, content: String
    ) -> String {
        let shown = shownPath.map { " <small class=\"path\">\(ConsoleHTML.escape($0))</small>" } ?? ""
        return """
            <li><details class="step" data-step="\(ConsoleHTML.escape(id))" data-step-id="\(ConsoleHTML.escape(path))" \
            data-pattern="\(ConsoleHTML.escape(pattern))"\(open ? " open" : "")><summary><code>\(ConsoleHTML.escape(id))</code>\(shown) \
            \(ConsoleHTML.status(status))</summary>\(content)</details></li>
            """
    }

    /// "2 completed, 1 failed".
    private static func counts(_ statuses: [String]) -> String {
        var counted: [(String, Int)] = []
        for status in statuses {
            if let index = counted.firstIndex(where: { $0.0 == status }) {
                counted[index].1 += 1
            } else {
                counted.append((status, 1))
            }
        }
        return counted.map { "\($0.1) \(ConsoleHTML.escape($0.0))" }.joined(separator: ", ")
    }
}
