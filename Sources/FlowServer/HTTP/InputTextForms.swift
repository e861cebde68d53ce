import FlowCore

/// The strings an execute request may give for a non-string input, as the OpenAPI document states them.
///
/// The engine coerces strings loosely (pydantic's lax mode: `"5"` for an integer, `"yes"` for a boolean). Over
/// HTTP a string is taken only in the forms below, each one a pattern the document publishes, so that what the
/// document accepts and what the server accepts are the same set: at most 18 digits fit an integer, and a
/// number's exponent of at most two digits keeps it finite.
enum InputTextForms {
    static let integerPattern = "^[+-]?[0-9]{1,18}$"
    static let numberPattern = "^[+-]?[0-9]{1,18}(\\.[0-9]{1,18})?([eE][+-]?[0-9]{1,2})?$"
    static let booleanPattern =
        "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|[Oo][Nn]|[Oo][Ff][Ff]|1|0)$"

    /// The pattern of the strings accepted for `type`; nil when strings are not coerced to it.
    static func pattern(for type: InputType) -> String? {
        switch type {
        case .integer: integerPattern
        case .number: numberPattern
        case .boolean: booleanPattern
        case .string, .object, .array, .any: nil
        }
    }

    /// Whether `text` has the form `pattern(for: type)` describes; false when strings are not coerced to `type`.
    static func accepts(_ text: String, as type: InputType) -> Bool {
        var rest = Substring(text).utf8[...]
        switch type {
        case .integer:
            if let first = rest.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
                rest = rest.dropFirst()
            }
            return digits(&rest, upTo: 18) && rest.isEmpty
        case .number:
            if let first = rest.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
                rest = rest.dropFirst()
            }
            guard digits(&rest, upTo: 18) else { return false }
            if rest.first == UInt8(ascii: ".") {
                rest = rest.dropFirst()
                guard digits(&rest, upTo: 18) else { return false }
            }
            if let first = rest.first, first == UInt8(ascii: "e") || first == UInt8(ascii: "E") {
                rest = rest.dropFirst()
                if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                    rest = rest.dropFirst()
                }
                guard digits(&rest, upTo: 2) else { return false }
            }
            return rest.isEmpty
        case .boolean:
            let lowered = String(decoding: rest.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
            return ["true", "false", "yes", "no", "on", "off", "1", "0"].contains(lowered)
        case .string, .object, .array, .any:
            return false
        }
    }

    /// Consumes 1 to `limit` ASCII digits; false when there are none or more than `limit`.
    private static func digits(_ rest: inout Substring.UTF8View.SubSequence, upTo limit: Int) -> Bool {
        let count = rest.prefix { (0x30...0x39).contains($0) }.count
        rest = rest.dropFirst(count)
        return (1...limit).contains(count)
    }
}
