/// The value rules an input can declare besides its type: `enum`, `minimum`, `maximum` and `pattern`.
public enum InputConstraint: String, Sendable, Hashable, CaseIterable {
    case enumeration = "enum"
    case minimum
    case maximum
    case pattern
}

extension InputDefinition {
    /// The first rule `value` breaks and why, phrased to follow the input's name ("must be one of …"), or nil.
    ///
    /// `value` is expected to be coerced to the declared type already; `null` breaks no rule.
    public func violation(by value: FlowValue) -> (constraint: InputConstraint, reason: String)? {
        if value.isNull { return nil }
        if let allowedValues, !allowedValues.contains(where: { Self.sameEnumValue($0, value) }) {
            let listed = allowedValues.map(ValueComparison.describeBriefly).joined(separator: ", ")
            return (.enumeration, "must be one of \(listed), got \(ValueComparison.describe(value))")
        }
        if let number = value.numberForLimits {
            if let minimum, let limit = minimum.numberForLimits, number < limit {
                return (.minimum, "must be at least \(minimum.jsonText), got \(value.jsonText)")
            }
            if let maximum, let limit = maximum.numberForLimits, number > limit {
                return (.maximum, "must be at most \(maximum.jsonText), got \(value.jsonText)")
            }
        }
        if let pattern, case .string(let text) = value, let regex = try? Regex(pattern), !text.contains(regex) {
            return (.pattern, "must match the pattern '\(pattern)', got \(ValueComparison.describe(value))")
        }
        return nil
    }

    /// Equality for `enum`: numbers by value, booleans only equal booleans, everything else exactly.
    private static func sameEnumValue(_ allowed: FlowValue, _ value: FlowValue) -> Bool {
        switch (allowed, value) {
        case (.bool(let l), .bool(let r)): l == r
        case (.bool, _), (_, .bool): false
        default: ValueComparison.strictlyEqual(allowed, value)
        }
    }
}

extension FlowValue {
    /// An integer's or a double's value for `minimum`/`maximum`; nil for everything else, booleans included.
    var numberForLimits: Double? {
        switch self {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }
}

extension ValueComparison {
    /// A value as an `enum` list shows it: strings quoted, everything else as JSON.
    static func describeBriefly(_ value: FlowValue) -> String {
        if case .string(let text) = value { return "\"\(text)\"" }
        return value.jsonText
    }
}
