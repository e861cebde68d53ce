/// Label text made safe for a quoted Mermaid label (`["..."]`, `|"..."|`).
///
/// `"` becomes `&quot;`, `<` and `>` become `&lt;` and `&gt;`, and line breaks become `<br/>`. The only raw
/// markup a label can hold is the `<br/>` the renderer itself puts between lines. Characters such as `]`, `}`
/// and `|` need no escaping because every label is written inside double quotes.
struct MermaidLabel: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The escaped text, ready to place between the quotes.
    let escaped: String

    /// A label showing `text` verbatim.
    init(_ text: String) {
        escaped = Self.escape(text)
    }

    /// A label showing each line on its own row, joined with `<br/>`.
    init(lines: [String]) {
        escaped = lines.map(Self.escape).joined(separator: "<br/>")
    }

    init(stringLiteral value: String) {
        self.init(value)
    }

    /// Escapes quotes and angle brackets and turns line breaks into `<br/>`.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\"": result += "&quot;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default:
                if character.isNewline { result += "<br/>" } else { result.append(character) }
            }
        }
        return result
    }
}
