import OrderedCollections

/// Equality and ordering as conditions and switches use them.
///
/// Numbers compare by value across integers and doubles; booleans equal 1 and 0 as in the original.
/// A string that spells a number equals that number; two such strings are ordered as numbers
/// (`"10" > "9"`) but are equal only when spelled the same (`"007" != "7"`), since they are often ids.
public enum ValueComparison {
    /// Loose equality for conditions: numeric strings compare as numbers.
    public static func looselyEqual(_ left: FlowValue, _ right: FlowValue) -> Bool {
        if let l = numeric(left, allowStrings: true), let r = numeric(right, allowStrings: true),
            isNumberLike(left) || isNumberLike(right)
        {
            return l == r
        }
        return strictlyEqual(left, right)
    }

    /// Equality for `switch`: no string coercion, numbers by value, booleans equal 1 and 0.
    public static func strictlyEqual(_ left: FlowValue, _ right: FlowValue) -> Bool {
        if let l = numeric(left, allowStrings: false), let r = numeric(right, allowStrings: false) {
            return l == r
        }
        switch (left, right) {
        case (.array(let l), .array(let r)):
            return l.count == r.count && zip(l, r).allSatisfy { strictlyEqual($0, $1) }
        case (.object(let l), .object(let r)):
            return l.count == r.count && l.allSatisfy { key, value in r[key].map { strictlyEqual(value, $0) } ?? false }
        default:
            return left == right
        }
    }

    /// Orders two values, or explains why they cannot be ordered.
    public static func compare(_ left: FlowValue, _ right: FlowValue, _ op: ComparisonOperator)
        throws(ConditionError) -> Bool
    {
        switch op {
        case .equal: return looselyEqual(left, right)
        case .notEqual: return !looselyEqual(left, right)
        default: break
        }
        let order: Int
        if let l = numeric(left, allowStrings: true), let r = numeric(right, allowStrings: true),
            !(left.boolValue != nil || right.boolValue != nil)
        {
            order = l < r ? -1 : (l > r ? 1 : 0)
        } else if case .string(let l) = left, case .string(let r) = right {
            order = l < r ? -1 : (l > r ? 1 : 0)
        } else {
            throw ConditionError(
                "cannot order \(describe(left)) and \(describe(right)) with '\(op.rawValue)'; "
                    + "both sides must be numbers or both strings"
            )
        }
        switch op {
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        case .equal, .notEqual: return false
        }
    }

    static func describe(_ value: FlowValue) -> String {
        switch value {
        case .string(let text): "string \"\(text)\""
        case .null: "null"
        default: "\(value.kindName) \(value.jsonText)"
        }
    }

    private static func isNumberLike(_ value: FlowValue) -> Bool {
        switch value {
        case .int, .double, .bool: true
        default: false
        }
    }

    private static func numeric(_ value: FlowValue, allowStrings: Bool) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        case .bool(let flag): flag ? 1 : 0
        case .string(let text) where allowStrings: numericString(text)
        default: nil
        }
    }

    /// Decimal numbers only: hexadecimal, `inf` and `nan` spellings stay strings.
    static func numericString(_ text: String) -> Double? {
        let trimmed = text.trimmingSpacesString()
        guard !trimmed.isEmpty,
            trimmed.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) }),
            let value = Double(trimmed), value.isFinite
        else { return nil }
        return value
    }
}

extension String {
    func trimmingSpacesString() -> String { String(self[...].trimmingSpaces()) }
}

/// A condition that cannot be evaluated, such as ordering a string against a number.
public struct ConditionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
