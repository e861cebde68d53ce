import OrderedCollections

/// JSON rendering and parsing of ``FlowValue`` without Foundation.
extension FlowValue {
    /// The value as compact JSON text on one line, keys in insertion order.
    public var jsonText: String {
        var output = ""
        writeJSON(to: &output)
        return output
    }

    /// The value as it appears inside an interpolated string: strings raw, everything else as JSON.
    public var interpolationText: String {
        if case .string(let value) = self { return value }
        return jsonText
    }

    func writeJSON(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .double(let value): output += Self.render(value)
        case .string(let value): Self.writeEscaped(value, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.writeJSON(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            var first = true
            for (key, value) in members {
                if !first { output += "," }
                first = false
                Self.writeEscaped(key, to: &output)
                output += ":"
                value.writeJSON(to: &output)
            }
            output += "}"
        }
    }

    /// Doubles render without `.0` when integral and in range; non-finite values render as `null`
    /// because JSON has no spelling for them.
    static func render(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value.rounded() == value, abs(value) < 1e15 {
            return String(Int(value))
        }
        return "\(value)"
    }

    static func writeEscaped(_ string: String, to output: inout String) {
        output += "\""
        // Most strings need no escaping: append them whole.
        if string.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            output += string
            output += "\""
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
