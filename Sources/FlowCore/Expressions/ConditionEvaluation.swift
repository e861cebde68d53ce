import OrderedCollections

/// Why a condition could not be evaluated.
public enum ConditionEvaluationError: Error, Sendable {
    case resolution(ResolutionError)
    case invalid(ConditionError)
}

extension Condition {
    /// Evaluates the condition against `scope`.
    public func evaluate(in scope: some ReferenceScope) throws(ConditionEvaluationError) -> Bool {
        switch self {
        case .constant(let value):
            return value
        case .expression(let expression, _):
            return try expression.evaluate(in: scope).isTruthy
        case .any(let conditions):
            for condition in conditions where try condition.evaluate(in: scope) { return true }
            return false
        case .all(let conditions):
            for condition in conditions where try !condition.evaluate(in: scope) { return false }
            return true
        case .none(let conditions):
            for condition in conditions where try condition.evaluate(in: scope) { return false }
            return true
        }
    }
}

extension Expression {
    /// Evaluates the expression to a value; comparisons and logic give booleans.
    public func evaluate(in scope: some ReferenceScope) throws(ConditionEvaluationError) -> FlowValue {
        switch self {
        case .literal(let value):
            return value
        case .value(let template):
            do {
                return try template.resolve(in: scope)
            } catch {
                throw .resolution(error)
            }
        case .not(let operand):
            return .bool(!(try operand.evaluate(in: scope).isTruthy))
        case .and(let left, let right):
            guard try left.evaluate(in: scope).isTruthy else { return .bool(false) }
            return .bool(try right.evaluate(in: scope).isTruthy)
        case .or(let left, let right):
            if try left.evaluate(in: scope).isTruthy { return .bool(true) }
            return .bool(try right.evaluate(in: scope).isTruthy)
        case .compare(let op, let left, let right):
            let l = try left.evaluate(in: scope)
            let r = try right.evaluate(in: scope)
            do {
                return .bool(try ValueComparison.compare(l, r, op))
            } catch {
                throw .invalid(error)
            }
        case .contains(let element, let collection):
            let needle = try element.evaluate(in: scope)
            switch try collection.evaluate(in: scope) {
            case .array(let elements):
                return .bool(elements.contains { ValueComparison.looselyEqual(needle, $0) })
            case .object(let members):
                return .bool(needle.stringValue.map { members[$0] != nil } ?? false)
            case .string(let text):
                return .bool(text.contains(needle.interpolationText))
            case let other:
                throw .invalid(
                    ConditionError("'in' needs an array, object or string on its right, got \(other.kindName)")
                )
            }
        case .length(let operand):
            switch try operand.evaluate(in: scope) {
            case .array(let elements): return .int(elements.count)
            case .object(let members): return .int(members.count)
            case .string(let text): return .int(text.count)
            case .null: return .int(0)
            case let other:
                throw .invalid(ConditionError("length needs an array, object or string, got \(other.kindName)"))
            }
        }
    }
}
