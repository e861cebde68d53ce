import FlowCore

/// Infers a task's `Input` fields from the `inputs:` mappings of the steps calling it.
///
/// A key's type comes from its YAML literal (`"x"` → `String`, `3` → `Int`, `2.5` → `Double`, `true` →
/// `Bool`, a list of one kind → `[String]`…), from the declared type of a whole flow input
/// (`${inputs.customer_id}` of a `string` input → `String`), `String` for interpolated text, and `FlowValue`
/// for other references and objects. Keys missing from some step, `null` literals and optional flow inputs
/// without a default are optional.
struct InputInference {
    let flow: FlowDefinition

    func fields(for uses: [ValueTemplate]) -> [DiscoveredTask.Field] {
        var fields: [DiscoveredTask.Field] = []
        var seenIn: [String: Int] = [:]
        for inputs in uses {
            for (key, type, optional) in entries(of: inputs) {
                seenIn[key, default: 0] += 1
                if let index = fields.firstIndex(where: { $0.key == key }) {
                    fields[index].type = fields[index].type.merged(with: type)
                    fields[index].isOptional = fields[index].isOptional || optional
                } else {
                    fields.append(DiscoveredTask.Field(key: key, propertyName: key, type: type, isOptional: optional))
                }
            }
        }
        for index in fields.indices where seenIn[fields[index].key, default: 0] < uses.count {
            fields[index].isOptional = true
        }
        return fields
    }

    /// The keys of one `inputs:` mapping with their types, in written order.
    func entries(of inputs: ValueTemplate) -> [(String, SwiftType, Bool)] {
        switch inputs {
        case .literal(.object(let members)):
            return members.map { key, value in
                let (type, optional) = Self.type(ofLiteral: value)
                return (key, type, optional)
            }
        case .object(let members):
            return members.map { key, template in
                let (type, optional) = type(of: template)
                return (key, type, optional)
            }
        default:
            return []
        }
    }

    func type(of template: ValueTemplate) -> (SwiftType, Bool) {
        switch template {
        case .literal(let value): return Self.type(ofLiteral: value)
        case .interpolation: return (.string, false)
        case .array: return (.array(.flowValue), false)
        case .object: return (.flowValue, false)
        case .reference(let reference):
            guard reference.root == "inputs", reference.path.count == 1, case .key(let name) = reference.path[0],
                let input = flow.inputs.first(where: { $0.name == name })
            else { return (.flowValue, false) }
            let optional = !input.required && input.defaultValue == nil
            switch input.type {
            case .string: return (.string, optional)
            case .integer: return (.int, optional)
            case .number: return (.double, optional)
            case .boolean: return (.bool, optional)
            case .array: return (.array(.flowValue), optional)
            case .object, .any: return (.flowValue, optional)
            }
        }
    }

    static func type(ofLiteral value: FlowValue) -> (SwiftType, Bool) {
        switch value {
        case .null: return (.flowValue, true)
        case .bool: return (.bool, false)
        case .int: return (.int, false)
        case .double: return (.double, false)
        case .string: return (.string, false)
        case .object: return (.flowValue, false)
        case .array(let elements):
            let types = elements.map { type(ofLiteral: $0) }
            guard let first = types.first, !types.contains(where: { $0.1 }), first.0 != .flowValue else {
                return (.array(.flowValue), false)
            }
            let element = types.dropFirst().reduce(first.0) { $0.merged(with: $1.0) }
            if case .array = element { return (.array(.flowValue), false) }
            return (.array(element), false)
        }
    }
}
