/// Text made safe for XML and HTML character data and quoted attribute values: the one escaper of the
/// diagrams' SVG and of every HTML page the server writes.
package enum XMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` as entities, and every character XML 1.0 does not allow
    /// (control characters other than tab and line breaks, U+FFFE, U+FFFF) as U+FFFD.
    package static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                let allowed = scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF
                result.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return result
    }
}
