import OrderedCollections

extension ValueTemplate {
    /// The template as the YAML wrote it: references back in `${...}` form inside strings.
    public var sourceValue: FlowValue {
        switch self {
        case .literal(let value):
            return value
        case .reference(let reference):
            return .string(reference.description)
        case .interpolation(let parts):
            return .string(
                parts.map { part in
                    switch part {
                    case .text(let text): text
                    case .reference(let reference): reference.description
                    }
                }.joined()
            )
        case .array(let elements):
            return .array(elements.map(\.sourceValue))
        case .object(let members):
            return .object(members.mapValues(\.sourceValue))
        }
    }
}
