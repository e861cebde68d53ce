import FlowCore
import OrderedCollections

/// A ``ReferenceScope`` backed by a plain dictionary of roots, for tests.
struct DictionaryScope: ReferenceScope {
    var roots: [String: FlowValue]

    init(_ roots: [String: FlowValue] = [:]) {
        self.roots = roots
    }

    func value(forRoot name: String) -> FlowValue? {
        roots[name]
    }
}

extension Expression {
    /// The expression as a compact S-expression, so tests can assert the shape a parse produced.
    ///
    /// Literals render as JSON, except doubles, which render with Swift's spelling (`2.5`, `1000.0`) so that
    /// integers and doubles stay distinguishable; references render as `${path}`; interpolations as
    /// `interp(part,part)` with text parts quoted.
    var shape: String {
        switch self {
        case .literal(let value): Self.render(value)
        case .value(let template): template.shape
        case .not(let operand): "(not \(operand.shape))"
        case .and(let left, let right): "(and \(left.shape) \(right.shape))"
        case .or(let left, let right): "(or \(left.shape) \(right.shape))"
        case .compare(let op, let left, let right): "(\(op.rawValue) \(left.shape) \(right.shape))"
        case .contains(let element, let collection): "(in \(element.shape) \(collection.shape))"
        case .length(let operand): "(length \(operand.shape))"
        }
    }

    static func render(_ value: FlowValue) -> String {
        if case .double(let number) = value { return "\(number)" }
        return value.jsonText
    }
}

extension ValueTemplate {
    /// The template as a compact string: see ``Expression/shape``.
    var shape: String {
        switch self {
        case .literal(let value): Expression.render(value)
        case .reference(let reference): reference.description
        case .interpolation(let parts):
            "interp("
                + parts.map { part in
                    switch part {
                    case .text(let text): FlowValue.string(text).jsonText
                    case .reference(let reference): reference.description
                    }
                }.joined(separator: ",") + ")"
        case .array(let elements): "[" + elements.map(\.shape).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.map { key, value in "\(key):\(value.shape)" }.joined(separator: ",") + "}"
        }
    }
}
