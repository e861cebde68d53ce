import Foundation
import OrderedCollections
import Yams

/// Builds a ``FlowDefinition`` from a parsed YAML document, reporting every problem it meets.
final class FlowBuilder {
    static let topLevelKeys = [
        "flow", "description", "version", "inputs", "steps", "outputs", "on_cancel", "on_cancel_timeout", "connections",
        "triggers", "silent", "timeout", "metadata", "tags", "author",
    ]
    static let inputKeys = [
        "name", "type", "required", "default", "description", "enum", "minimum", "maximum", "pattern", "example",
    ]
    static let outputKeys = ["name", "value", "description"]

    /// A reference seen while building, checked once every step id is known.
    struct PendingReference {
        var reference: Reference
        var location: SourceLocation
        var loopVariables: [String]
        var inErrorHandler: Bool
    }

    /// Where a step list sits, for reference checks.
    struct Context {
        var loopVariables: [String] = []
        var inErrorHandler = false
    }

    let reader: YAMLReader
    var pendingReferences: [PendingReference] = []
    var stepIds: [String: SourceLocation] = [:]
    var declaredInputs: Set<String> = []

    /// Variables for `${env.VAR}` in `connections:`.
    let environment: [String: String]
    /// Whether an unset one is an error rather than a warning.
    let requiresEnvironment: Bool

    init(reader: YAMLReader, environment: [String: String], requiresEnvironment: Bool) {
        self.reader = reader
        self.environment = environment
        self.requiresEnvironment = requiresEnvironment
    }

    func build(_ root: Node, sourcePath: String?) -> FlowDefinition? {
        guard let entries = reader.entries(of: root, what: "the flow document") else { return nil }
        reader.checkKeys(entries, allowed: Self.topLevelKeys, in: "the flow document")
        let byKey = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        var flow = FlowDefinition(name: "", location: reader.location(of: root), sourcePath: sourcePath)

        if let nameNode = byKey["flow"] {
            flow.name = reader.string(nameNode, what: "'flow' (the flow's name)") ?? ""
        } else {
            reader.error("the flow needs a name: add 'flow: MyFlow' at the top", at: flow.location)
        }
        if let node = byKey["description"] { flow.description = reader.string(node, what: "'description'") }
        if let node = byKey["inputs"] { flow.inputs = buildInputs(node) }
        declaredInputs = Set(flow.inputs.map(\.name))
        if let node = byKey["steps"] {
            flow.steps = buildStepList(node, what: "'steps'", context: Context())
        } else {
            reader.error("the flow needs a 'steps:' list", at: flow.location)
        }
        if let node = byKey["outputs"] { flow.outputs = buildOutputs(node) }
        if let node = byKey["on_cancel"] {
            flow.onCancel = buildStepList(node, what: "'on_cancel'", context: Context())
        }
        if let node = byKey["on_cancel_timeout"] {
            flow.onCancelTimeout = reader.duration(node, what: "'on_cancel_timeout'")
            if byKey["on_cancel"] == nil {
                reader.warning(
                    "'on_cancel_timeout' has no effect without 'on_cancel' steps", at: reader.location(of: node))
            }
        }
        if let node = byKey["silent"] { flow.silent = reader.bool(node, what: "'silent'") ?? false }
        if let node = byKey["timeout"] { flow.timeout = reader.duration(node, what: "'timeout'") }
        if let node = byKey["triggers"] { flow.triggers = reader.value(node) }
        if let node = byKey["connections"] {
            let baseDirectory = sourcePath.map { ($0 as NSString).deletingLastPathComponent }
            flow.connections = ConnectionsBuilder(
                reader: reader,
                environment: environment,
                requiresEnvironment: requiresEnvironment,
                baseDirectory: baseDirectory
            ).build(node)
        }
        warnAboutUndeclaredConnections(in: flow, declared: byKey["connections"])
        checkReferences()
        return flow
    }

    /// Steps naming a connection the flow does not declare: a warning, since a project's `shared_connections`
    /// may declare it (servers refuse such a flow once they know its project). A connection left out for an
    /// unset variable has its own diagnostic.
    private func warnAboutUndeclaredConnections(in flow: FlowDefinition, declared node: Node?) {
        var declared = Set<String>()
        if case .mapping(let mapping)? = node {
            for (key, _) in mapping { if case .scalar(let scalar) = key { declared.insert(scalar.string) } }
        }
        for use in flow.undeclaredConnectionUses where !declared.contains(use.connection) {
            reader.warning(
                "this step names connection '\(use.connection)', which the flow does not declare under 'connections:'."
                    + Suggestions.hint(for: use.connection, in: Array(declared)),
                at: use.location
            )
        }
    }

    // MARK: - Inputs and outputs

    func buildInputs(_ node: Node) -> [InputDefinition] {
        guard case .sequence(let sequence) = node else {
            reader.error("'inputs' must be a list of input definitions, found \(reader.describe(node))", at: node)
            return []
        }
        var inputs: [InputDefinition] = []
        var seen: [String: SourceLocation] = [:]
        for element in sequence {
            guard let input = buildInput(element) else { continue }
            if let first = seen[input.name] {
                reader.error(
                    "duplicate input '\(input.name)' (first declared at \(first.line):\(first.column))", at: element)
                continue
            }
            seen[input.name] = input.location
            inputs.append(input)
        }
        return inputs
    }

    func buildInput(_ node: Node) -> InputDefinition? {
        let location = reader.location(of: node)
        if case .scalar = node {
            guard let name = reader.string(node, what: "an input name") else { return nil }
            return InputDefinition(name: name, location: location)
        }
        guard let entries = reader.entries(of: node, what: "an input definition") else { return nil }
        reader.checkKeys(entries, allowed: Self.inputKeys, in: "an input definition")
        let byKey = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let nameNode = byKey["name"] else {
            reader.error("an input definition needs a 'name'", at: node)
            return nil
        }
        guard let name = reader.string(nameNode, what: "an input's 'name'") else { return nil }
        var input = InputDefinition(name: name, location: location)
        if let typeNode = byKey["type"], let typeName = reader.string(typeNode, what: "input '\(name)' type") {
            if let type = InputType(yamlName: typeName) {
                input.type = type
            } else {
                let names = InputType.allCases.map(\.rawValue)
                reader.error(
                    "input '\(name)' has unknown type '\(typeName)'.\(Suggestions.hint(for: typeName, in: names)) "
                        + "Valid types: \(names.joined(separator: ", "))",
                    at: typeNode
                )
            }
        }
        if let node = byKey["required"] {
            input.required = reader.bool(node, what: "input '\(name)' 'required'") ?? false
        }
        if let node = byKey["description"] {
            input.description = reader.string(node, what: "input '\(name)' 'description'")
        }
        if let node = byKey["default"], let value = reader.value(node) {
            switch InputCoercion.coerce(value, to: input.type) {
            case .failure(let problem): reader.error("the default of input '\(name)' \(problem)", at: node)
            case .success(let coerced): input.defaultValue = coerced
            }
        }
        buildConstraints(of: &input, byKey)
        if let node = byKey["default"], let defaultValue = input.defaultValue,
            let (_, reason) = input.violation(by: defaultValue)
        {
            reader.error("the default of input '\(name)' \(reason)", at: node)
        }
        return input
    }

    /// Reads `enum`, `minimum`, `maximum` and `pattern`, each checked against the declared type.
    func buildConstraints(of input: inout InputDefinition, _ byKey: [String: Node]) {
        let name = input.name
        if let node = byKey["enum"] {
            if case .sequence(let sequence) = node, !sequence.isEmpty {
                var allowed: [FlowValue] = []
                for element in sequence {
                    guard let value = reader.value(element) else { continue }
                    switch InputCoercion.coerce(value, to: input.type) {
                    case .failure(let problem):
                        reader.error("an 'enum' value of input '\(name)' \(problem)", at: element)
                    case .success(let coerced): allowed.append(coerced)
                    }
                }
                input.allowedValues = allowed
            } else {
                reader.error(
                    "'enum' of input '\(name)' must be a non-empty list of values, found \(reader.describe(node))",
                    at: node)
            }
        }
        let numeric = input.type == .integer || input.type == .number
        for key in ["minimum", "maximum"] {
            guard let node = byKey[key] else { continue }
            guard numeric else {
                reader.error(
                    "'\(key)' applies only to integer and number inputs; give input '\(name)' 'type: number' or "
                        + "'type: integer' (it has type \(input.type.rawValue))",
                    at: node
                )
                continue
            }
            guard let value = reader.value(node), value.numberForLimits?.isFinite == true else {
                reader.error("'\(key)' of input '\(name)' must be a number, found \(reader.describe(node))", at: node)
                continue
            }
            if key == "minimum" { input.minimum = value } else { input.maximum = value }
        }
        if let minimum = input.minimum?.numberForLimits, let maximum = input.maximum?.numberForLimits,
            minimum > maximum,
            let node = byKey["maximum"]
        {
            reader.error(
                "input '\(name)' has minimum \(FlowValue.render(minimum)) above its maximum \(FlowValue.render(maximum)); "
                    + "no value could pass",
                at: node
            )
        }
        if let node = byKey["pattern"] {
            guard input.type == .string else {
                reader.error(
                    "'pattern' applies only to string inputs; give input '\(name)' 'type: string' "
                        + "(it has type \(input.type.rawValue))",
                    at: node
                )
                return
            }
            guard let pattern = reader.string(node, what: "'pattern' of input '\(name)'") else { return }
            do {
                _ = try Regex(pattern)
                input.pattern = pattern
            } catch {
                reader.error("'pattern' of input '\(name)' is not a valid regular expression: \(error)", at: node)
            }
        }
    }

    func buildOutputs(_ node: Node) -> [OutputDefinition] {
        guard case .sequence(let sequence) = node else {
            reader.error("'outputs' must be a list of outputs, found \(reader.describe(node))", at: node)
            return []
        }
        var outputs: [OutputDefinition] = []
        for element in sequence {
            let location = reader.location(of: element)
            if case .scalar = element {
                guard let name = reader.string(element, what: "an output name") else { continue }
                let reference = Reference(root: name)
                record(reference, at: location, context: Context())
                outputs.append(OutputDefinition(name: name, value: .reference(reference), location: location))
                continue
            }
            guard let entries = reader.entries(of: element, what: "an output definition") else { continue }
            reader.checkKeys(entries, allowed: Self.outputKeys, in: "an output definition")
            let byKey = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            guard let nameNode = byKey["name"] else {
                reader.error("an output needs a 'name'", at: element)
                continue
            }
            guard let name = reader.string(nameNode, what: "an output's 'name'") else { continue }
            let value: ValueTemplate
            if let valueNode = byKey["value"] {
                guard let template = template(valueNode, what: "output '\(name)'", context: Context()) else { continue }
                value = template
            } else {
                let reference = Reference(root: name)
                record(reference, at: location, context: Context())
                value = .reference(reference)
            }
            var output = OutputDefinition(name: name, value: value, location: location)
            if let node = byKey["description"] {
                output.description = reader.string(node, what: "output '\(name)' 'description'")
            }
            outputs.append(output)
        }
        return outputs
    }

    // MARK: - References

    func template(_ node: Node, what: String, context: Context) -> ValueTemplate? {
        guard let template = reader.template(node, what: what) else { return nil }
        recordReferences(in: node, context: context)
        return template
    }

    /// Records the references of every scalar under `node` at that scalar's own position.
    private func recordReferences(in node: Node, context: Context) {
        switch node {
        case .scalar(let scalar):
            guard scalar.string.contains("${"),
                let template = try? ValueTemplate.parse(string: scalar.string)
            else { return }
            let location = reader.location(of: node).advanced(by: reader.quoteOffset(node))
            for reference in template.references { record(reference, at: location, context: context) }
        case .sequence(let sequence):
            for element in sequence { recordReferences(in: element, context: context) }
        case .mapping(let mapping):
            for (_, value) in mapping { recordReferences(in: value, context: context) }
        case .alias:
            break
        }
    }

    func record(_ reference: Reference, at location: SourceLocation, context: Context) {
        pendingReferences.append(
            PendingReference(
                reference: reference,
                location: location,
                loopVariables: context.loopVariables,
                inErrorHandler: context.inErrorHandler
            )
        )
    }

    /// Reports references whose root is no input, step id, loop variable or handler error.
    func checkReferences() {
        for pending in pendingReferences {
            let root = pending.reference.root
            if root == "inputs" {
                if case .key(let name)? = pending.reference.path.first, !declaredInputs.isEmpty,
                    !declaredInputs.contains(name), !pending.loopVariables.contains(name)
                {
                    let candidates = Array(declaredInputs) + pending.loopVariables
                    reader.warning(
                        "\(pending.reference) reads input '\(name)', which the flow does not declare."
                            + Suggestions.hint(for: name, in: candidates),
                        at: pending.location
                    )
                }
                continue
            }
            if stepIds[root] != nil || pending.loopVariables.contains(root) { continue }
            if root == "error" && pending.inErrorHandler { continue }
            var candidates = Array(stepIds.keys) + pending.loopVariables + ["inputs"]
            if pending.inErrorHandler { candidates.append("error") }
            let handlerNote = root == "error" ? " ('${error}' is only available inside on_error)" : ""
            reader.error(
                "unknown reference \(pending.reference): no step id, input or loop variable named '\(root)'"
                    + handlerNote + "." + Suggestions.hint(for: root, in: candidates),
                at: pending.location
            )
        }
    }
}
