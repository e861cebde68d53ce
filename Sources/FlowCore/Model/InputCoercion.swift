/// Light coercion of input values to their declared types: `"5"` to an integer, `"true"` to a boolean,
/// `5.0` to the integer 5; anything else that does not fit is refused with a reason.
public enum InputCoercion {
    /// The outcome of coercing one value.
    public enum Outcome: Sendable, Equatable {
        case success(FlowValue)
        /// Why the value does not fit, phrased to follow the value's name ("must be an integer, got …").
        case failure(String)
    }

    /// Coerces `value` to `type`.
    public static func coerce(_ value: FlowValue, to type: InputType) -> Outcome {
        switch (type, value) {
        case (.any, _): return .success(value)
        case (.string, .string): return .success(value)
        case (.integer, .int): return .success(value)
        case (.integer, .double(let number)) where number.rounded() == number && number > -0x1p63 && number < 0x1p63:
            return .success(.int(Int(number)))
        case (.integer, .string(let text)):
            if let number = Int(text.trimmingSpacesString()) { return .success(.int(number)) }
        case (.number, .int), (.number, .double): return .success(value)
        case (.number, .string(let text)):
            let trimmed = text.trimmingSpacesString()
            if let number = Int(trimmed) { return .success(.int(number)) }
            if let number = Double(trimmed), number.isFinite { return .success(.double(number)) }
        case (.boolean, .bool): return .success(value)
        case (.boolean, .string(let text)):
            switch text.lowercased() {
            case "true", "yes", "on", "1": return .success(.bool(true))
            case "false", "no", "off", "0": return .success(.bool(false))
            default: break
            }
        case (.boolean, .int(let number)) where number == 0 || number == 1: return .success(.bool(number == 1))
        case (.boolean, .double(let number)) where number == 0 || number == 1: return .success(.bool(number == 1))
        case (.object, .object), (.array, .array): return .success(value)
        default: break
        }
        return .failure("must be \(article(type)), got \(ValueComparison.describe(value))")
    }

    private static func article(_ type: InputType) -> String {
        switch type {
        case .integer, .array, .object, .any: "an \(type.rawValue)"
        case .string, .number, .boolean: "a \(type.rawValue)"
        }
    }
}
