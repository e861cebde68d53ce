import Foundation

/// Finds subflow calls that can never end: a chain of `subflow:` steps that comes back to a flow already on it.
///
/// The files are found as ``FileSubflowLoader`` finds them at run time, starting from the loaded flow's own
/// file, so the check sees exactly the cycles a run of that file would hit. Subflows that are missing or do not
/// load are left to the run, which reports them when it gets there. Flows loaded from text have no directory to
/// look in; their cycles are still caught at run time by the call chain.
struct SubflowCycles {
    /// One `subflow:` step on a call chain: which flow makes it, where, and the file it calls.
    private struct Call {
        var caller: String
        var step: SubflowStep
        var target: String
    }

    private let loader: FlowLoader
    /// Flows read so far by path; nil for a file that does not load.
    private var flows: [String: FlowDefinition?] = [:]
    /// Files from which no cycle can be reached.
    private var acyclic: Set<String> = []

    /// Reads called files with `loader`, whose own subflow check must be off.
    init(loader: FlowLoader) {
        self.loader = loader
    }

    /// One error per `subflow:` step of `flow` (loaded from `path`) that leads into a cycle, at that step.
    mutating func diagnostics(for flow: FlowDefinition, at path: String) -> [Diagnostic] {
        let root = (path as NSString).standardizingPath
        flows[root] = flow
        var diagnostics: [Diagnostic] = []
        for step in Self.subflowSteps(in: flow) {
            guard let target = FileSubflowLoader.resolve(step.name, calledFrom: root) else { continue }
            let first = Call(caller: flow.name, step: step, target: target)
            if let rest = findCycle(from: [root], calls: [first]) {
                diagnostics.append(Diagnostic(.error, Self.message([first] + rest), at: step.location))
            }
        }
        return diagnostics
    }

    /// Follows `calls.last` depth-first; returns the calls after `calls` up to and including the one that closes
    /// a cycle, or nil when none is reachable.
    private mutating func findCycle(from stack: [String], calls: [Call]) -> [Call]? {
        guard let call = calls.last else { return nil }
        if stack.contains(call.target) { return [] }
        if acyclic.contains(call.target) { return nil }
        guard let callee = flow(at: call.target) else { return nil }
        for step in Self.subflowSteps(in: callee) {
            guard let target = FileSubflowLoader.resolve(step.name, calledFrom: call.target) else { continue }
            let next = Call(caller: callee.name, step: step, target: target)
            if let rest = findCycle(from: stack + [call.target], calls: calls + [next]) { return [next] + rest }
        }
        acyclic.insert(call.target)
        return nil
    }

    private mutating func flow(at path: String) -> FlowDefinition? {
        if let known = flows[path] { return known }
        let loaded = try? loader.load(contentsOf: path)
        flows[path] = loaded
        return loaded
    }

    /// `A -> 'b' -> 'a' (file)` followed by each call's step and position.
    private static func message(_ calls: [Call]) -> String {
        let names = [calls[0].caller] + calls.map { "'\($0.step.name)'" }
        let hops = calls.map {
            "\($0.caller) calls '\($0.step.name)' in step '\($0.step.stepId)' at \($0.step.location)"
        }
        let closing = calls.last.map { " (\($0.target))" } ?? ""
        return "circular subflow dependency: \(names.joined(separator: " -> "))\(closing); "
            + hops.joined(separator: ", ")
            + ". A flow may not call itself, directly or through other subflows"
    }

    /// Every `subflow:` step in `flow`, nested ones, handlers and `on_cancel` included, in document order.
    private static func subflowSteps(in flow: FlowDefinition) -> [SubflowStep] {
        var found: [SubflowStep] = []
        func visit(_ steps: [Step]) {
            for step in steps {
                if case .subflow(let subflow) = step { found.append(subflow) }
                for child in step.childStepLists { visit(child) }
            }
        }
        visit(flow.steps)
        visit(flow.onCancel)
        return found
    }
}
