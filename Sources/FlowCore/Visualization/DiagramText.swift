/// The plain-text wording of conditions and values shown in flowchart labels, before Mermaid escaping.
///
/// The rules are the original visualizer's: `${x}` shows as `x`, long text is shortened to 37 characters and
/// "...", and decisions are phrased as questions.
enum DiagramText {
    /// Text longer than this is shortened.
    static let maximumLength = 40

    /// A condition as a question: `${a.ok} == true` → `a.ok?`, `${a.ok} == false` → `not a.ok?`, a quantified
    /// condition → `any of 3 met?`; anything else gets a trailing `?`. Text longer than `limit` is shortened.
    static func question(_ condition: Condition, limit: Int = maximumLength) -> String {
        switch condition {
        case .any(let conditions): return "any of \(conditions.count) met?"
        case .all(let conditions): return "all of \(conditions.count) met?"
        case .none(let conditions): return "none of \(conditions.count) met?"
        case .constant, .expression:
            var text = summary(condition, limit: limit)
            text = rewrite(text, operator: "==", word: "true", prefix: "")
            text = rewrite(text, operator: "==", word: "false", prefix: "not ")
            text = rewrite(text, operator: "!=", word: "true", prefix: "not ")
            text = rewrite(text, operator: "!=", word: "false", prefix: "")
            return text.hasSuffix("?") ? text : text + "?"
        }
    }

    /// A condition as a short statement: references without `${}`, at most `limit` characters; a quantified
    /// condition as "any of 3 conditions".
    static func summary(_ condition: Condition, limit: Int = maximumLength) -> String {
        switch condition {
        case .constant(let value): return value ? "true" : "false"
        case .expression(_, let source): return shortened(source, limit: limit)
        case .any(let conditions): return "any of \(conditions.count) conditions"
        case .all(let conditions): return "all of \(conditions.count) conditions"
        case .none(let conditions): return "none of \(conditions.count) conditions"
        }
    }

    /// `text` with every `${x}` shown as `x`, shortened to `limit - 3` characters and "..." when longer than
    /// `limit` (40 unless told).
    static func shortened(_ text: String, limit: Int = maximumLength) -> String {
        let plain = withoutReferenceMarkers(text)
        guard plain.count > limit else { return plain }
        return String(plain.prefix(limit - 3)) + "..."
    }

    /// Replaces every `${x}` (non-empty `x`, no `}` inside) by `x`.
    static func withoutReferenceMarkers(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.firstRange(of: "${") {
            let inner = rest[start.upperBound...]
            guard let close = inner.firstIndex(of: "}"), close > inner.startIndex else {
                result += rest[..<start.upperBound]
                rest = inner
                continue
            }
            result += rest[..<start.lowerBound]
            result += inner[..<close]
            rest = inner[inner.index(after: close)...]
        }
        return result + rest
    }

    /// The original's `re.sub(r'(.+?)\s*OP\s*[Ww]ORD', r'PREFIX\1?', text)`: every non-overlapping
    /// occurrence, left to right, each with the shortest non-empty subject on one line. The word's first
    /// letter may be upper case (`True`).
    static func rewrite(_ text: String, operator op: String, word: String, prefix: String) -> String {
        let characters = Array(text)
        let op = Array(op)
        let word = Array(word)
        var result = ""
        var position = 0
        while position < characters.count {
            if let (subjectEnd, end) = match(in: characters, from: position, operator: op, word: word) {
                result += prefix + String(characters[position..<subjectEnd]) + "?"
                position = end
            } else {
                result.append(characters[position])
                position += 1
            }
        }
        return result
    }

    /// The shortest match of `(.+?)\s*OP\s*[Ww]ORD` starting at `start`: where the subject ends and where
    /// the whole match ends.
    private static func match(
        in characters: [Character], from start: Int, operator op: [Character], word: [Character]
    ) -> (Int, Int)? {
        var subjectEnd = start + 1
        while subjectEnd <= characters.count, !characters[subjectEnd - 1].isNewline {
            var index = skipWhitespace(in: characters, from: subjectEnd)
            if characters[index...].starts(with: op) {
                index = skipWhitespace(in: characters, from: index + op.count)
                if index < characters.count, characters[index].lowercased() == String(word[0]),
                    characters[(index + 1)...].starts(with: word.dropFirst())
                {
                    return (subjectEnd, index + word.count)
                }
            }
            subjectEnd += 1
        }
        return nil
    }

    private static func skipWhitespace(in characters: [Character], from start: Int) -> Int {
        var index = start
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        return index
    }

    /// A value as written: literals as their text, references as `${...}`, lists as `[a, b]`.
    static func text(of template: ValueTemplate) -> String {
        switch template {
        case .literal(let value):
            return value.interpolationText
        case .reference(let reference):
            return reference.description
        case .interpolation(let parts):
            return parts.map { part in
                switch part {
                case .text(let text): text
                case .reference(let reference): reference.description
                }
            }.joined()
        case .array(let elements):
            return "[" + elements.map(text(of:)).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.map { "\($0.key): \(text(of: $0.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// The label of a switch case's edge: its `when` value, or the values of a list joined with ", ".
    static func caseLabel(_ match: ValueTemplate) -> String {
        switch match {
        case .literal(.array(let values)): values.map(\.interpolationText).joined(separator: ", ")
        case .array(let elements): elements.map(text(of:)).joined(separator: ", ")
        default: text(of: match)
        }
    }
}
