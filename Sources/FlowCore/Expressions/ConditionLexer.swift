/// A token of condition text, with its character offset.
struct ConditionToken: Sendable {
    enum Kind: Sendable, Equatable {
        case openParen
        case closeParen
        case comparison(ComparisonOperator)
        case and
        case or
        case not
        case `in`
        case pipe
        case literal(FlowValue)
        case template(ValueTemplate)
        case word

        static func == (lhs: Kind, rhs: Kind) -> Bool {
            switch (lhs, rhs) {
            case (.openParen, .openParen), (.closeParen, .closeParen), (.and, .and), (.or, .or), (.not, .not),
                (.in, .in), (.pipe, .pipe), (.word, .word), (.literal, .literal), (.template, .template):
                true
            case (.comparison(let a), .comparison(let b)): a == b
            default: false
            }
        }
    }

    var kind: Kind
    var text: String
    var offset: Int
}

enum ConditionLexer {
    private static let wordBreakers: Set<Character> = ["(", ")", "=", "!", "<", ">", "&", "|", "\"", "'"]

    static func tokenize(_ text: String) throws(ExpressionSyntaxError) -> [ConditionToken] {
        let characters = Array(text)
        var tokens: [ConditionToken] = []
        var index = 0
        func peek(_ offset: Int) -> Character? {
            index + offset < characters.count ? characters[index + offset] : nil
        }
        while index < characters.count {
            let character = characters[index]
            let start = index
            if character.isWhitespace {
                index += 1
                continue
            }
            switch character {
            case "(":
                tokens.append(ConditionToken(kind: .openParen, text: "(", offset: start))
                index += 1
            case ")":
                tokens.append(ConditionToken(kind: .closeParen, text: ")", offset: start))
                index += 1
            case "=":
                guard peek(1) == "=" else {
                    throw ExpressionSyntaxError("single '=' is not an operator; use '==' to compare", offset: start)
                }
                tokens.append(ConditionToken(kind: .comparison(.equal), text: "==", offset: start))
                index += 2
            case "!":
                if peek(1) == "=" {
                    tokens.append(ConditionToken(kind: .comparison(.notEqual), text: "!=", offset: start))
                    index += 2
                } else {
                    tokens.append(ConditionToken(kind: .not, text: "!", offset: start))
                    index += 1
                }
            case "<", ">":
                let orEqual = peek(1) == "="
                let op: ComparisonOperator =
                    character == "<" ? (orEqual ? .lessOrEqual : .less) : (orEqual ? .greaterOrEqual : .greater)
                tokens.append(ConditionToken(kind: .comparison(op), text: op.rawValue, offset: start))
                index += orEqual ? 2 : 1
            case "&":
                guard peek(1) == "&" else {
                    throw ExpressionSyntaxError("single '&' is not an operator; use '&&' or 'and'", offset: start)
                }
                tokens.append(ConditionToken(kind: .and, text: "&&", offset: start))
                index += 2
            case "|":
                if peek(1) == "|" {
                    tokens.append(ConditionToken(kind: .or, text: "||", offset: start))
                    index += 2
                } else {
                    tokens.append(ConditionToken(kind: .pipe, text: "|", offset: start))
                    index += 1
                }
            case "\"", "'":
                let quote = character
                var value = ""
                index += 1
                var closed = false
                while index < characters.count {
                    let next = characters[index]
                    if next == "\\", let escaped = peek(1), escaped == quote || escaped == "\\" {
                        value.append(escaped)
                        index += 2
                        continue
                    }
                    if next == quote {
                        closed = true
                        index += 1
                        break
                    }
                    value.append(next)
                    index += 1
                }
                guard closed else {
                    throw ExpressionSyntaxError("unterminated string starting with \(quote)", offset: start)
                }
                let template = try Self.template(value, offset: start + 1)
                let kind: ConditionToken.Kind =
                    if case .literal(let literal) = template { .literal(literal) } else { .template(template) }
                tokens.append(ConditionToken(kind: kind, text: String(characters[start..<index]), offset: start))
            default:
                var word = ""
                while index < characters.count {
                    let next = characters[index]
                    if next == "$", peek(1) == "{" {
                        guard let close = characters[index...].firstIndex(of: "}") else {
                            throw ExpressionSyntaxError("unclosed '${': add the closing '}'", offset: index)
                        }
                        word += String(characters[index...close])
                        index = close + 1
                        continue
                    }
                    if next.isWhitespace || wordBreakers.contains(next) { break }
                    word.append(next)
                    index += 1
                }
                tokens.append(try Self.classify(word, offset: start))
            }
        }
        return tokens
    }

    private static func template(_ text: String, offset: Int) throws(ExpressionSyntaxError) -> ValueTemplate {
        do {
            return try ValueTemplate.parse(string: text)
        } catch {
            throw ExpressionSyntaxError(error.message, offset: offset + error.offset)
        }
    }

    private static func classify(_ word: String, offset: Int) throws(ExpressionSyntaxError) -> ConditionToken {
        if word.contains("${") {
            let template = try template(word, offset: offset)
            if case .literal(let literal) = template {
                return ConditionToken(kind: .literal(literal), text: word, offset: offset)
            }
            return ConditionToken(kind: .template(template), text: word, offset: offset)
        }
        let kind: ConditionToken.Kind
        switch word.lowercased() {
        case "and": kind = .and
        case "or": kind = .or
        case "not": kind = .not
        case "in": kind = .in
        case "true": kind = .literal(.bool(true))
        case "false": kind = .literal(.bool(false))
        case "null": kind = .literal(.null)
        default:
            if let number = number(word) { kind = .literal(number) } else { kind = .word }
        }
        return ConditionToken(kind: kind, text: word, offset: offset)
    }

    static func number(_ word: String) -> FlowValue? {
        if let value = Int(word) { return .int(value) }
        return ValueComparison.numericString(word).map(FlowValue.double)
    }
}
