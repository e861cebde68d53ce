import OrderedCollections
import Yams

/// YAML 1.2 core-schema typing of plain scalars; quoted and block scalars are always strings.
///
/// `yes`/`no`/`on`/`off` stay strings (YAML 1.1 booleans are not emulated), `010` is 10 and dates stay strings.
enum YAMLScalar {
    static func value(of scalar: Node.Scalar) -> FlowValue {
        guard scalar.style == .plain || scalar.style == .any else { return .string(scalar.string) }
        return plainValue(scalar.string)
    }

    static func plainValue(_ text: String) -> FlowValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        guard let first = text.utf8.first,
            first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        else { return .string(text) }
        if text.hasPrefix("0x"), let value = Int(text.dropFirst(2), radix: 16) { return .int(value) }
        if text.hasPrefix("0o"), let value = Int(text.dropFirst(2), radix: 8) { return .int(value) }
        if isDecimalInteger(text), let value = Int(text) { return .int(value) }
        if isDecimalFloat(text), let value = Double(text) { return .double(value) }
        return .string(text)
    }

    private static func isDecimalInteger(_ text: String) -> Bool {
        var digits = text.utf8[...]
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            digits = digits.dropFirst()
        }
        return !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    private static func isDecimalFloat(_ text: String) -> Bool {
        var sawDigit = false
        var sawExponent = false
        var previous: UInt8 = 0
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "."): if sawExponent { return false }
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                if sawExponent || !sawDigit { return false }
                sawExponent = true
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                if index != 0 && previous != UInt8(ascii: "e") && previous != UInt8(ascii: "E") { return false }
            default: return false
            }
            previous = byte
        }
        return sawDigit
    }
}
