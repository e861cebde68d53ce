/// A parsed `if:` condition.
public indirect enum Condition: Sendable {
    /// A YAML boolean, number or null written as the condition.
    case constant(Bool)
    /// A condition expression, with the text it was parsed from.
    case expression(Expression, source: String)
    /// True when any of the conditions holds; false for an empty list.
    case any([Condition])
    /// True when every condition holds; true for an empty list.
    case all([Condition])
    /// True when no condition holds; true for an empty list.
    case none([Condition])

    /// Every reference the condition reads.
    public var references: [Reference] {
        switch self {
        case .constant: []
        case .expression(let expression, _): expression.references
        case .any(let conditions), .all(let conditions), .none(let conditions): conditions.flatMap(\.references)
        }
    }
}

/// A condition expression: comparisons, `and`/`or`/`not`, `in`, `length`, literals and references.
public indirect enum Expression: Sendable {
    /// A literal: a number, a quoted string, `true`, `false`, `null`, or a bare word as a string.
    case literal(FlowValue)
    /// A reference or a word with references inside it.
    case value(ValueTemplate)
    case not(Expression)
    case and(Expression, Expression)
    case or(Expression, Expression)
    case compare(ComparisonOperator, Expression, Expression)
    /// `element in collection`: list membership, substring or object key.
    case contains(element: Expression, collection: Expression)
    /// `length(x)` or `x | length`.
    case length(Expression)

    /// Every reference the expression reads.
    public var references: [Reference] {
        switch self {
        case .literal: []
        case .value(let template): template.references
        case .not(let operand), .length(let operand): operand.references
        case .and(let left, let right), .or(let left, let right), .compare(_, let left, let right):
            left.references + right.references
        case .contains(let element, let collection): element.references + collection.references
        }
    }
}

/// A comparison operator.
public enum ComparisonOperator: String, Sendable, CaseIterable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}
