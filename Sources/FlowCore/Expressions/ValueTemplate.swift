public import OrderedCollections

/// A YAML value with its `${...}` references parsed, ready to resolve against a scope.
public indirect enum ValueTemplate: Sendable {
    /// A value with no references.
    case literal(FlowValue)
    /// A string that is exactly one reference: resolves to the referenced value with its own type.
    case reference(Reference)
    /// A string mixing text and references: resolves to a string.
    case interpolation([Part])
    case array([ValueTemplate])
    case object(OrderedDictionary<String, ValueTemplate>)

    /// A piece of an interpolated string.
    public enum Part: Sendable {
        case text(String)
        case reference(Reference)
    }

    /// Builds the template of a string, finding its references.
    ///
    /// `${}` and an unclosed `${` stay literal text.
    public static func parse(string: String) throws(ExpressionSyntaxError) -> ValueTemplate {
        guard string.contains("${") else { return .literal(.string(string)) }
        var parts: [Part] = []
        var text = ""
        var index = string.startIndex
        var offset = 0
        while index < string.endIndex {
            if string[index] == "$", string.index(after: index) < string.endIndex,
                string[string.index(after: index)] == "{",
                let close = string[index...].firstIndex(of: "}")
            {
                let innerStart = string.index(index, offsetBy: 2)
                let inner = string[innerStart..<close]
                if inner.trimmingSpaces().isEmpty {
                    text += string[index...close]
                } else {
                    do {
                        let reference = try Reference.parse(inner)
                        if !text.isEmpty { parts.append(.text(text)) }
                        text = ""
                        parts.append(.reference(reference))
                    } catch {
                        throw ExpressionSyntaxError(error.message, offset: offset + 2 + error.offset)
                    }
                }
                offset += string.distance(from: index, to: close) + 1
                index = string.index(after: close)
                continue
            }
            text.append(string[index])
            index = string.index(after: index)
            offset += 1
        }
        if !text.isEmpty { parts.append(.text(text)) }
        if parts.count == 1, case .reference(let reference) = parts[0] { return .reference(reference) }
        if parts.allSatisfy({ if case .text = $0 { true } else { false } }) { return .literal(.string(string)) }
        return .interpolation(parts)
    }

    /// Builds the template of any value, parsing references in every string inside it.
    ///
    /// Keys of objects are never treated as templates.
    public static func parse(value: FlowValue) throws(ExpressionSyntaxError) -> ValueTemplate {
        switch value {
        case .string(let string):
            return try parse(string: string)
        case .array(let elements):
            var templates: [ValueTemplate] = []
            templates.reserveCapacity(elements.count)
            for element in elements { templates.append(try parse(value: element)) }
            if templates.allSatisfy(\.isLiteral) { return .literal(value) }
            return .array(templates)
        case .object(let members):
            var templates = OrderedDictionary<String, ValueTemplate>()
            for (key, member) in members { templates[key] = try parse(value: member) }
            if templates.values.allSatisfy(\.isLiteral) { return .literal(value) }
            return .object(templates)
        default:
            return .literal(value)
        }
    }

    /// Whether resolving needs no scope.
    public var isLiteral: Bool {
        if case .literal = self { return true }
        return false
    }

    /// Every reference inside, in reading order.
    public var references: [Reference] {
        switch self {
        case .literal: []
        case .reference(let reference): [reference]
        case .interpolation(let parts):
            parts.compactMap { if case .reference(let reference) = $0 { reference } else { nil } }
        case .array(let elements): elements.flatMap(\.references)
        case .object(let members): members.values.flatMap(\.references)
        }
    }
}
