public import FlowCore
public import OrderedCollections
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
        /// Each flow by name; a versioned flow's latest version.
        var flows: OrderedDictionary<String, ServedFlow>
        /// Every version of each versioned flow, oldest first.
        var versions: [String: [ServedFlow]] = [:]
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
    ///
    /// Flows with a ``ServedFlow/version`` are served side by side under `/{version}/flows/{name}`; the
    /// highest version is also served under `/flows/{name}`.
    public init(flows: [ServedFlow], projects: [ProjectDefinition] = []) {
        mode = .multi
        var byName = OrderedDictionary<String, ServedFlow>()
        var versions: [String: [ServedFlow]] = [:]
        for flow in flows {
            if flow.version != nil { versions[flow.name, default: []].append(flow) }
            if let served = byName[flow.name], flow.version != nil, !FlowVersion.precedes(served.version, flow.version)
            {
                continue
            }
            byName[flow.name] = flow
        }
        versions = versions.mapValues { $0.sorted { FlowVersion.precedes($0.version, $1.version) } }
        state = Mutex(State(flows: byName, versions: versions, projects: projects))
    }

    /// Every flow, in discovery order.
    public var flows: [ServedFlow] { state.withLock { Array($0.flows.values) } }

    /// Every connection the served flows declare, by name; the first flow's when two declare one name.
    public var declaredConnections: OrderedDictionary<String, ConnectionDefinition> {
        var connections = OrderedDictionary<String, ConnectionDefinition>()
        for flow in flows {
            for (name, connection) in flow.definition.connections where connections[name] == nil {
                connections[name] = connection
            }
        }
        return connections
    }

    /// The projects of a multi-flow server.
    public var projects: [ProjectDefinition] { state.withLock { $0.projects } }

    /// The flow named `name`: its latest version when it is versioned.
    public func flow(named name: String) -> ServedFlow? { state.withLock { $0.flows[name] } }

    /// Version `version` (`v1`, `v2`, …) of the flow named `name`.
    public func flow(named name: String, version: String) -> ServedFlow? {
        state.withLock { $0.versions[name]?.first { $0.version == version } }
    }

    /// Whether any flow is served in several versions.
    public var hasVersions: Bool { state.withLock { !$0.versions.isEmpty } }

    /// Every served version of the flow named `name`, oldest first; empty when it is not versioned.
    public func versions(of name: String) -> [ServedFlow] { state.withLock { $0.versions[name] ?? [] } }

    /// The flows served in `version`, in discovery order.
    public func flows(version: String) -> [ServedFlow] {
        state.withLock { state in
            state.flows.keys.compactMap { name in state.versions[name]?.first { $0.version == version } }
        }
    }

    /// Replaces a flow's definition (one version's, for a versioned flow); later requests see the new one,
    /// running executions keep the old.
    public func replace(_ flow: ServedFlow) {
        state.withLock { state in
            if let version = flow.version,
                let index = state.versions[flow.name]?.firstIndex(where: { $0.version == version })
            {
                state.versions[flow.name]?[index] = flow
                guard state.flows[flow.name]?.version == version else { return }
            }
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

    /// The text of a 404 for a version the flow named `name` does not have.
    func notFoundMessage(for name: String, version: String) -> String {
        guard flow(named: name) != nil else { return notFoundMessage(for: name) }
        let versions = versions(of: name).compactMap(\.version)
        guard !versions.isEmpty else { return "Flow \(name) is not versioned; use /flows/\(name)" }
        return "Flow \(name) has no version \(version). Available versions: \(versions.joined(separator: ", "))"
    }
}
