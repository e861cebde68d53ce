import Foundation

/// Reads what `update` needs from a task's Swift file: whether it is still a stub, and the keys its `Input`
/// decodes.
package enum TaskFileInspector {
    /// Whether the file still has its stub marker: a `flowlang:stub` line setting `isImplemented = false`.
    package static func isStub(_ contents: String) -> Bool {
        contents.split(separator: "\n", omittingEmptySubsequences: false).contains { line in
            line.contains("flowlang:stub") && line.contains("isImplemented") && line.contains("= false")
        }
    }

    /// The JSON keys of the file's `struct Input`: its `CodingKeys` when it has them, else its stored
    /// properties. `nil` when the file has no `struct Input` (a typealias, say), so no keys can be compared.
    package static func inputKeys(_ contents: String) -> [String]? {
        guard let inputBody = body(of: "struct Input", in: contents) else { return nil }
        if let codingKeys = body(of: "enum CodingKeys", in: inputBody) {
            return codingKeyNames(codingKeys)
        }
        var keys: [String] = []
        for line in topLevelLines(inputBody) {
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            while let first = words.first, first.hasPrefix("@") || modifiers.contains(first) { words.removeFirst() }
            guard words.count >= 2, words[0] == "var" || words[0] == "let", !line.contains("{") else { continue }
            let name = words[1].prefix { $0 != ":" && $0 != "=" }
            keys.append(SwiftNaming.bare(String(name)))
        }
        return keys
    }

    static let modifiers: Set<String> = [
        "public", "internal", "private", "fileprivate", "package", "nonisolated", "final",
    ]

    /// The text between the braces of the first declaration starting with `declaration`.
    static func body(of declaration: String, in text: String) -> String? {
        guard let start = text.range(of: declaration) else { return nil }
        guard let open = text[start.upperBound...].firstIndex(of: "{") else { return nil }
        var depth = 0
        var index = open
        var inString = false
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" { inString.toggle() }
            if !inString {
                if character == "{" { depth += 1 }
                if character == "}" {
                    depth -= 1
                    if depth == 0 { return String(text[text.index(after: open)..<index]) }
                }
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// The lines of `body` outside any nested braces, trimmed, comments removed.
    static func topLevelLines(_ body: String) -> [String] {
        var lines: [String] = []
        var depth = 0
        for rawLine in body.split(separator: "\n") {
            var line = String(rawLine)
            if let comment = line.range(of: "//") { line = String(line[..<comment.lowerBound]) }
            if depth == 0 { lines.append(line.trimmingSpaces()) }
            depth += line.filter { $0 == "{" }.count - line.filter { $0 == "}" }.count
        }
        return lines
    }

    static func codingKeyNames(_ body: String) -> [String] {
        var keys: [String] = []
        for line in topLevelLines(body) where line.hasPrefix("case ") {
            for entry in line.dropFirst(5).split(separator: ",") {
                let parts = entry.split(separator: "=", maxSplits: 1)
                if parts.count == 2 {
                    keys.append(parts[1].trimmingSpaces().trimmingQuotes())
                } else {
                    keys.append(SwiftNaming.bare(entry.trimmingSpaces()))
                }
            }
        }
        return keys
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }

    func trimmingQuotes() -> String {
        let characters = "\""
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
