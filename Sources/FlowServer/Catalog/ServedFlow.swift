public import FlowCore

/// A flow the server offers: its definition, the tasks that run it, and where it came from.
public struct ServedFlow: Sendable {
    public var definition: FlowDefinition {
        didSet { readiness = registry.readiness(for: definition) }
    }
    public var registry: TaskRegistry {
        didSet { readiness = registry.readiness(for: definition) }
    }
    /// The project the flow belongs to, in a multi-flow server.
    public var project: String?
    /// The directory holding `flow.yaml`, watched for reloads.
    public var directory: String?
    /// The version (`v1`, `v2`, …) when several versions of the flow are served side by side.
    public var version: String?

    public init(
        definition: FlowDefinition,
        registry: TaskRegistry,
        project: String? = nil,
        directory: String? = nil,
        version: String? = nil
    ) {
        self.definition = definition
        self.registry = registry
        self.project = project
        self.directory = directory
        self.version = version
        self.readiness = registry.readiness(for: definition)
    }

    /// The flow's name, as used in URLs.
    public var name: String { definition.name }

    /// The flow's URL path: `/v2/flows/{name}` for a version, `/flows/{name}` otherwise.
    public var path: String { (version.map { "/\($0)" } ?? "") + "/flows/\(name)" }

    /// Which referenced tasks can run; kept up to date as the definition or registry change, because every
    /// execute request asks.
    public private(set) var readiness: Readiness
}
