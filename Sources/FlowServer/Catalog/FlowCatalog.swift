public import FlowCore
import OrderedCollections
import Synchronization

/// The flows a server offers, swappable at run time for reloads.
///
/// A single-flow catalog answers with the original single-flow server's shapes; a multi-flow catalog
/// adds projects and lists available flows in its 404s.
public final class FlowCatalog: Sendable {
    /// Whether the server was started for one flow or for a directory of flows.
    public enum Mode: Sendable {
        case single
        case multi
    }

    private struct State {
        var flows: OrderedDictionary<String, ServedFlow>
        var projects: [ProjectDefinition]
        var reloadProblems: [String: [Diagnostic]] = [:]
    }

    public let mode: Mode
    private let state: Mutex<State>

    /// A catalog serving one flow.
    public init(flow: ServedFlow) {
        mode = .single
        state = Mutex(State(flows: [flow.name: flow], projects: []))
    }

    /// A catalog serving many flows, optionally grouped in projects.
    public init(flows: [ServedFlow], projects: [ProjectDefinition] = []) {
        mode = .multi
        var byName = OrderedDictionary<String, ServedFlow>()
        for flow in flows { byName[flow.name] = flow }
        state = Mutex(State(flows: byName, projects: projects))
    }

    /// Every flow, in discovery order.
    public var flows: [ServedFlow] { state.withLock { Array($0.flows.values) } }

    /// The projects of a multi-flow server.
    public var projects: [ProjectDefinition] { state.withLock { $0.projects } }

    /// The flow named `name`.
    public func flow(named name: String) -> ServedFlow? { state.withLock { $0.flows[name] } }

    /// Replaces a flow's definition; later requests see the new one, running executions keep the old.
    public func replace(_ flow: ServedFlow) {
        state.withLock { state in
            state.flows[flow.name] = flow
            state.reloadProblems[flow.name] = nil
        }
    }

    /// Records why the latest edit of a flow's file could not be loaded; the old definition stays.
    public func recordReloadProblems(_ diagnostics: [Diagnostic], for name: String) {
        state.withLock { $0.reloadProblems[name] = diagnostics }
    }

    /// Diagnostics of edits that failed to load, by flow name.
    public var reloadProblems: [String: [Diagnostic]] { state.withLock { $0.reloadProblems } }

    /// The text of a 404 for an unknown flow.
    func notFoundMessage(for name: String) -> String {
        switch mode {
        case .single: return "Flow not found: \(name)"
        case .multi: return "Flow not found: \(name). Available flows: \(flows.map(\.name).joined(separator: ", "))"
        }
    }
}
