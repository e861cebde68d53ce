public import OrderedCollections

/// The variables of a `.env` file, parsed without touching the process environment.
///
/// One `KEY=VALUE` per line, with `#` comments, an optional `export ` prefix, blank lines, and values that
/// are unquoted (trailing `# comment` and spaces dropped), `'single quoted'` (taken literally) or
/// `"double quoted"` (escapes `\n \t \r \" \\ \$`, may span lines). `${OTHER}` is not expanded. A later
/// line wins over an earlier one with the same key.
public struct DotEnv: Sendable, Equatable {
    /// Where the text came from, for messages and `--print-config`.
    public var path: String
    public var values: OrderedDictionary<String, String>

    /// Parses `text`; a malformed line throws an error naming `path` and the line.
    public init(parsing text: String, path: String) throws(ConfigurationError) {
        self.path = path
        var scanner = Scanner(characters: Array(text), path: path)
        values = try scanner.parse()
    }

    private struct Scanner {
        let characters: [Character]
        let path: String
        var index = 0
        var line = 1

        init(characters: [Character], path: String) {
            self.characters = characters
            self.path = path
        }

        mutating func parse() throws(ConfigurationError) -> OrderedDictionary<String, String> {
            var values = OrderedDictionary<String, String>()
            while index < characters.count {
                skip(while: { $0 == " " || $0 == "\t" })
                guard let first = peek else { break }
                if first.isNewline || first == "#" {
                    skipRestOfLine()
                    continue
                }
                let (key, value) = try assignment()
                values[key] = value
            }
            return values
        }

        private mutating func assignment() throws(ConfigurationError) -> (String, String) {
            var key = word()
            if key == "export", let next = peek, next == " " || next == "\t" {
                skip(while: { $0 == " " || $0 == "\t" })
                key = word()
            }
            skip(while: { $0 == " " || $0 == "\t" })
            guard !key.isEmpty, Self.isVariableName(key) else {
                throw error("'\(key.isEmpty ? restOfLine() : key)' is not a variable name (letters, digits and _)")
            }
            guard peek == "=" else { throw error("expected '=' after \(key)") }
            index += 1
            skip(while: { $0 == " " || $0 == "\t" })
            let value: String
            switch peek {
            case "\"": value = try quoted(escapes: true, key: key)
            case "'": value = try quoted(escapes: false, key: key)
            default: value = unquoted()
            }
            return (key, value)
        }

        private mutating func word() -> String {
            var text = ""
            while let character = peek, !character.isWhitespace, character != "=" {
                text.append(character)
                index += 1
            }
            return text
        }

        private mutating func unquoted() -> String {
            var text = ""
            while let character = peek, !character.isNewline {
                if character == "#", text.isEmpty || text.last == " " || text.last == "\t" { break }
                text.append(character)
                index += 1
            }
            skipRestOfLine()
            while let last = text.last, last == " " || last == "\t" { text.removeLast() }
            return text
        }

        private mutating func quoted(escapes: Bool, key: String) throws(ConfigurationError) -> String {
            let quote = characters[index]
            let openingLine = line
            index += 1
            var text = ""
            while true {
                guard let character = peek else {
                    line = openingLine
                    throw error("the value of \(key) has no closing \(quote)")
                }
                index += 1
                if character == quote { break }
                if character.isNewline { line += 1 }
                if escapes, character == "\\", let next = peek {
                    index += 1
                    switch next {
                    case "n": text.append("\n")
                    case "t": text.append("\t")
                    case "r": text.append("\r")
                    case "\"", "\\", "$": text.append(next)
                    default:
                        text.append("\\")
                        text.append(next)
                    }
                } else {
                    text.append(character)
                }
            }
            skip(while: { $0 == " " || $0 == "\t" })
            if let next = peek, !next.isNewline, next != "#" {
                throw error("unexpected text after the closing \(quote) of \(key)")
            }
            skipRestOfLine()
            return text
        }

        private var peek: Character? { index < characters.count ? characters[index] : nil }

        private mutating func skip(while predicate: (Character) -> Bool) {
            while let character = peek, predicate(character) { index += 1 }
        }

        private mutating func skipRestOfLine() {
            skip(while: { !$0.isNewline })
            if peek != nil {
                index += 1
                line += 1
            }
        }

        private func restOfLine() -> String {
            var end = index
            while end < characters.count, !characters[end].isNewline { end += 1 }
            return String(characters[index..<end])
        }

        private func error(_ message: String) -> ConfigurationError {
            ConfigurationError(variable: nil, message: "\(path):\(line): \(message)")
        }

        static func isVariableName(_ name: String) -> Bool {
            guard let first = name.unicodeScalars.first,
                first == "_" || (first.isASCII && first.properties.isAlphabetic)
            else {
                return false
            }
            return name.unicodeScalars.allSatisfy {
                $0 == "_" || $0 == "." || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0)
            }
        }
    }
}
