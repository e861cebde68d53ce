public import OrderedCollections

/// A `project.yaml`: a named group of flows in the sub-directories next to it.
public struct ProjectDefinition: Sendable {
    public var name: String
    public var description: String?
    public var version: String?
    public var tags: [String]
    /// Free-form contact details as written.
    public var contact: FlowValue?
    /// The directory holding `project.yaml`.
    public var directory: String
    /// `settings.shared_connections`: connections every flow of the project can name, unless it declares its own
    /// of the same name.
    public var sharedConnections: OrderedDictionary<String, ConnectionDefinition>

    public init(
        name: String,
        description: String? = nil,
        version: String? = nil,
        tags: [String] = [],
        contact: FlowValue? = nil,
        directory: String,
        sharedConnections: OrderedDictionary<String, ConnectionDefinition> = [:]
    ) {
        self.sharedConnections = sharedConnections
        self.name = name
        self.description = description
        self.version = version
        self.tags = tags
        self.contact = contact
        self.directory = directory
    }
}
