public import OrderedCollections

/// A loaded flow: typed inputs, steps, outputs and cleanup, with every node's source location.
///
/// Produced by ``FlowLoader``; expressions in it are already parsed.
public struct FlowDefinition: Sendable {
    /// The flow's name (`flow:`).
    public var name: String
    /// The flow's `description:`.
    public var description: String?
    /// Declared inputs, in declaration order.
    public var inputs: [InputDefinition]
    /// The top-level steps.
    public var steps: [Step]
    /// Declared outputs, in declaration order.
    public var outputs: [OutputDefinition]
    /// Steps run once when an execution is cancelled or times out.
    public var onCancel: [Step]
    /// The longest `on_cancel` may run (`on_cancel_timeout:`); ``defaultOnCancelTimeout`` when nil.
    public var onCancelTimeout: Duration?
    /// Whether task steps without their own `silent:` emit no step events.
    public var silent: Bool
    /// The longest an execution may run before it is cancelled.
    public var timeout: Duration?
    /// The `triggers:` section as written; the server interprets it.
    public var triggers: FlowValue?
    /// The databases steps name with `connection:`: the flow's own `connections:`, and its project's
    /// `shared_connections` once the server applies them (``applyingSharedConnections(_:)``).
    public var connections: OrderedDictionary<String, ConnectionDefinition>
    /// Where the `flow:` document starts.
    public var location: SourceLocation
    /// The file the flow was loaded from, if any; subflows are looked up next to it.
    public var sourcePath: String?
    /// Warnings the loader found; errors prevent loading altogether.
    public var warnings: [Diagnostic]

    public init(
        name: String,
        description: String? = nil,
        inputs: [InputDefinition] = [],
        steps: [Step] = [],
        outputs: [OutputDefinition] = [],
        onCancel: [Step] = [],
        onCancelTimeout: Duration? = nil,
        silent: Bool = false,
        timeout: Duration? = nil,
        triggers: FlowValue? = nil,
        connections: OrderedDictionary<String, ConnectionDefinition> = [:],
        location: SourceLocation = .start(of: nil),
        sourcePath: String? = nil,
        warnings: [Diagnostic] = []
    ) {
        self.name = name
        self.description = description
        self.inputs = inputs
        self.steps = steps
        self.outputs = outputs
        self.onCancel = onCancel
        self.onCancelTimeout = onCancelTimeout
        self.silent = silent
        self.timeout = timeout
        self.triggers = triggers
        self.connections = connections
        self.location = location
        self.sourcePath = sourcePath
        self.warnings = warnings
    }

    /// How long `on_cancel` may run when the flow sets no `on_cancel_timeout:`.
    public static let defaultOnCancelTimeout: Duration = .seconds(30)

    /// The flow with its project's shared connections added; a connection the flow declares itself wins.
    public func applyingSharedConnections(_ shared: OrderedDictionary<String, ConnectionDefinition>) -> FlowDefinition {
        var flow = self
        for (name, connection) in shared where flow.connections[name] == nil { flow.connections[name] = connection }
        return flow
    }

    /// Every task name the flow can call, in first-use order: branches, cases, loops, parallel blocks,
    /// `on_error` handlers and `on_cancel` included.
    public var referencedTaskNames: [String] {
        var seen = Set<String>()
        var names: [String] = []
        func visit(_ steps: [Step]) {
            for step in steps {
                if case .task(let task) = step, seen.insert(task.task).inserted {
                    names.append(task.task)
                }
                for child in step.childStepLists { visit(child) }
            }
        }
        visit(steps)
        visit(onCancel)
        return names
    }

    /// The flow itself, or an error at every step whose `connection:` names a connection the flow does not
    /// declare: what servers check once a flow's project has added its shared connections.
    public func requiringDeclaredConnections() throws(FlowLoadError) -> FlowDefinition {
        let uses = undeclaredConnectionUses
        guard !uses.isEmpty else { return self }
        let declared = connections.keys.joined(separator: ", ")
        throw FlowLoadError(
            diagnostics: uses.map { use in
                Diagnostic(
                    .error,
                    "this step names connection '\(use.connection)', which neither the flow nor its project declares"
                        + (declared.isEmpty ? "" : " (declared: \(declared))"),
                    at: use.location
                )
            }
        )
    }

    /// The task steps whose `connection:` names a connection the flow does not declare (after its project's
    /// shared connections are applied), in document order: each would fail with `ConnectionError` when it runs.
    public var undeclaredConnectionUses: [(connection: String, location: SourceLocation)] {
        var uses: [(connection: String, location: SourceLocation)] = []
        func visit(_ steps: [Step]) {
            for step in steps {
                if case .task(let task) = step, let name = task.connection, connections[name] == nil {
                    uses.append((name, task.location))
                }
                for child in step.childStepLists { visit(child) }
            }
        }
        visit(steps)
        visit(onCancel)
        return uses
    }
}

/// One declared input of a flow.
public struct InputDefinition: Sendable {
    /// The input's name, reachable as `${inputs.<name>}`.
    public var name: String
    /// The declared type, checked with light coercion.
    public var type: InputType
    /// Whether a caller must provide it; `false` unless the flow says otherwise.
    public var required: Bool
    /// The value used when the caller leaves the input out.
    public var defaultValue: FlowValue?
    /// Human-readable description.
    public var description: String?
    /// The only values allowed (`enum:`), coerced to the declared type like the input itself.
    public var allowedValues: [FlowValue]?
    /// The smallest number allowed (`minimum:`, inclusive); integer and number inputs only.
    public var minimum: FlowValue?
    /// The largest number allowed (`maximum:`, inclusive); integer and number inputs only.
    public var maximum: FlowValue?
    /// A regular expression a string input must contain a match of (`pattern:`, unanchored as in JSON Schema).
    public var pattern: String?
    /// Where the input is declared.
    public var location: SourceLocation

    public init(
        name: String,
        type: InputType = .any,
        required: Bool = false,
        defaultValue: FlowValue? = nil,
        description: String? = nil,
        allowedValues: [FlowValue]? = nil,
        minimum: FlowValue? = nil,
        maximum: FlowValue? = nil,
        pattern: String? = nil,
        location: SourceLocation = .start(of: nil)
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.description = description
        self.allowedValues = allowedValues
        self.minimum = minimum
        self.maximum = maximum
        self.pattern = pattern
        self.location = location
    }
}

/// The declared type of an input.
public enum InputType: String, Sendable, CaseIterable {
    case string
    case integer
    case number
    case boolean
    case object
    case array
    case any

    /// Parses a YAML type name, accepting the original's aliases (`int`, `float`, `bool`, `list`, `dict`).
    public init?(yamlName: String) {
        switch yamlName.lowercased() {
        case "string", "str", "text": self = .string
        case "integer", "int": self = .integer
        case "number", "float", "double", "decimal": self = .number
        case "boolean", "bool": self = .boolean
        case "object", "dict", "map": self = .object
        case "array", "list": self = .array
        case "any": self = .any
        default: return nil
        }
    }
}

/// One declared output of a flow.
public struct OutputDefinition: Sendable {
    /// The output's name in the result.
    public var name: String
    /// What it resolves to; `${<name>}` when the YAML gives no `value`.
    public var value: ValueTemplate
    /// Human-readable description.
    public var description: String?
    /// Where the output is declared.
    public var location: SourceLocation

    public init(name: String, value: ValueTemplate, description: String? = nil, location: SourceLocation) {
        self.name = name
        self.value = value
        self.description = description
        self.location = location
    }
}
