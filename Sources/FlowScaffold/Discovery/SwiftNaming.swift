/// Turns YAML names (flow names, task names, input keys) into Swift identifiers.
enum SwiftNaming {
    /// Words Swift reserves; a property of that name is written in backticks.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
        "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default",
        "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch",
        "where", "while", "as", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "await",
        "async", "any", "some", "Any", "Type", "Protocol",
    ]

    /// Type names a task type must not take: they would shadow the generated code's own types.
    static let reservedTypeNames: Set<String> = [
        "FlowTask", "Input", "Output", "TaskRegistry", "TaskContext", "TaskError", "FlowValue", "Task", "String",
        "Int", "Double", "Bool", "Array", "Dictionary", "Optional", "Error", "Never", "Void", "Result", "Codable",
        "Sendable", "FlowLoader", "FlowDefinition",
    ]

    /// `order_fulfillment` → `OrderFulfillment`, `OrderDemo` → `OrderDemo`, `send-email` → `SendEmail`.
    ///
    /// Each word keeps its own capitals (the original lowercased them: `TestOrderdemo`); a leading digit gets
    /// a `Flow` prefix; an empty result is `fallback`.
    static func typeName(_ name: String, fallback: String = "Flow") -> String {
        let words = words(of: name)
        var result = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        if result.isEmpty { return fallback }
        if let first = result.first, first.isNumber { result = fallback + result }
        return result
    }

    /// The type name for a task: its `typeName`, suffixed with `Task` when it would shadow a type the
    /// generated code uses.
    static func taskTypeName(_ task: String) -> String {
        let base = typeName(task, fallback: "Task")
        return reservedTypeNames.contains(base) ? base + "Task" : base
    }

    /// `customer_id` → `customerId`, `orderID` → `orderID`, `class` → `` `class` ``, `2fa` → `_2fa`.
    static func propertyName(_ key: String) -> String {
        let words = words(of: key)
        guard let first = words.first else { return "value" }
        var result = first.prefix(1).lowercased() + first.dropFirst()
        for word in words.dropFirst() { result += word.prefix(1).uppercased() + word.dropFirst() }
        if let leading = result.first, leading.isNumber { result = "_" + result }
        return keywords.contains(result) ? "`\(result)`" : result
    }

    /// A property name without backticks, as used in `CodingKeys` comparisons.
    static func bare(_ name: String) -> String {
        name.hasPrefix("`") && name.hasSuffix("`") && name.count > 2 ? String(name.dropFirst().dropLast()) : name
    }

    /// Runs of ASCII letters and digits; everything else separates words.
    private static func words(of text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text {
            if character.isASCII && (character.isLetter || character.isNumber) {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The text as a Swift string literal, escaped.
    static func stringLiteral(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case let control where control.value < 0x20:
                result += "\\u{\(String(control.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// The text made safe for a one-line `//` comment.
    static func comment(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
