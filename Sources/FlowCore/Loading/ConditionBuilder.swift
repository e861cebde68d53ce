import Yams

/// Building `if:` conditions: strings through the condition grammar, booleans, and any/all/none maps.
extension FlowBuilder {
    func buildCondition(_ node: Node, context: Context) -> Condition? {
        switch node {
        case .scalar(let scalar):
            switch YAMLScalar.value(of: scalar) {
            case .bool(let value): return .constant(value)
            case .int(let value): return .constant(value != 0)
            case .double(let value): return .constant(value != 0)
            case .null:
                reader.error("'if' needs a condition, such as ${inputs.amount} > 100", at: node)
                return nil
            default:
                let text = scalar.string
                do {
                    let expression = try ConditionParser.parse(text)
                    let location = reader.location(of: node).advanced(by: reader.quoteOffset(node))
                    for reference in expression.references { record(reference, at: location, context: context) }
                    return .expression(expression, source: text)
                } catch {
                    let scalarOffset = text.scalarOffset(ofCharacterOffset: error.offset)
                    let column = reader.location(of: node).advanced(by: reader.quoteOffset(node) + scalarOffset)
                    // A long condition is quoted by its start; the position says where the problem is.
                    let quoted = text.count > 80 ? text.prefix(80) + "…" : Substring(text)
                    reader.error("invalid condition '\(quoted)': \(error.message)", at: column)
                    return nil
                }
            }
        case .mapping:
            guard let entries = reader.entries(of: node, what: "a quantified condition") else { return nil }
            let quantifiers = entries.filter { ["any", "all", "none"].contains($0.key) }
            guard quantifiers.count == 1, let quantifier = quantifiers.first else {
                if quantifiers.isEmpty {
                    let hint = entries.lazy.compactMap { Suggestions.nearest(to: $0.key, in: ["any", "all", "none"]) }
                        .first
                    reader.error(
                        "a condition mapping needs exactly one of 'any', 'all' or 'none'"
                            + (hint.map { ". Did you mean '\($0)'?" } ?? ""),
                        at: node
                    )
                } else {
                    reader.error(
                        "a condition mapping can have only one of 'any', 'all' or 'none', found \(quantifiers.map(\.key).joined(separator: ", "))",
                        at: node)
                }
                return nil
            }
            reader.checkKeys(entries, allowed: [quantifier.key], in: "a quantified condition")
            guard case .sequence(let sequence) = quantifier.value else {
                reader.error("'\(quantifier.key)' must contain a list of conditions", at: quantifier.value)
                return nil
            }
            if sequence.isEmpty {
                reader.warning(
                    "'\(quantifier.key)' has an empty list of conditions", at: reader.location(of: quantifier.value))
            }
            let conditions = sequence.compactMap { buildCondition($0, context: context) }
            switch quantifier.key {
            case "any": return .any(conditions)
            case "all": return .all(conditions)
            default: return .none(conditions)
            }
        default:
            reader.error(
                "'if' must be a condition string, a boolean, or {any|all|none: [...]}, found \(reader.describe(node))",
                at: node)
            return nil
        }
    }
}
