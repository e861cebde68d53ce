/// Parses condition text into an ``Expression``.
///
/// Grammar, loosest binding first:
/// ```
/// or      := and (("or" | "||") and)*
/// and     := not (("and" | "&&") not)*
/// not     := ("not" | "!") not | compare
/// compare := filter (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") filter)?
/// filter  := primary ("|" "length")*
/// primary := "(" or ")" | "length" "(" or ")" | literal | reference | word
/// ```
/// Words that are not keywords or numbers are strings, so `${status} == active` compares with "active".
public enum ConditionParser {
    /// Parses `text`; errors carry the character offset of the problem.
    public static func parse(_ text: String) throws(ExpressionSyntaxError) -> Expression {
        var tokens = try ConditionLexer.tokenize(text)
        var parser = Parser(tokens: tokens, text: text)
        let expression = try parser.parseOr()
        if let token = parser.current {
            throw ExpressionSyntaxError("unexpected '\(token.text)'; expected an operator or the end", offset: token.offset)
        }
        tokens.removeAll()
        return expression
    }

    private struct Parser {
        let tokens: [ConditionToken]
        let text: String
        var position = 0

        var current: ConditionToken? { position < tokens.count ? tokens[position] : nil }

        mutating func advance() { position += 1 }

        func endOffset() -> Int { text.count }

        mutating func parseOr() throws(ExpressionSyntaxError) -> Expression {
            var left = try parseAnd()
            while let token = current, token.kind == .or {
                advance()
                left = .or(left, try parseAnd())
            }
            return left
        }

        mutating func parseAnd() throws(ExpressionSyntaxError) -> Expression {
            var left = try parseNot()
            while let token = current, token.kind == .and {
                advance()
                left = .and(left, try parseNot())
            }
            return left
        }

        mutating func parseNot() throws(ExpressionSyntaxError) -> Expression {
            if let token = current, token.kind == .not {
                advance()
                return .not(try parseNot())
            }
            return try parseComparison()
        }

        mutating func parseComparison() throws(ExpressionSyntaxError) -> Expression {
            let left = try parseFilter()
            guard let token = current else { return left }
            switch token.kind {
            case .comparison(let op):
                advance()
                return .compare(op, left, try parseFilter())
            case .in:
                advance()
                return .contains(element: left, collection: try parseFilter())
            case .not:
                if position + 1 < tokens.count, tokens[position + 1].kind == .in {
                    position += 2
                    return .not(.contains(element: left, collection: try parseFilter()))
                }
                return left
            default:
                return left
            }
        }

        mutating func parseFilter() throws(ExpressionSyntaxError) -> Expression {
            var operand = try parsePrimary()
            while let token = current, token.kind == .pipe {
                advance()
                guard let filter = current, case .word = filter.kind, filter.text == "length" else {
                    throw ExpressionSyntaxError(
                        "unknown filter after '|'; only 'length' is supported",
                        offset: current?.offset ?? endOffset()
                    )
                }
                advance()
                operand = .length(operand)
            }
            return operand
        }

        mutating func parsePrimary() throws(ExpressionSyntaxError) -> Expression {
            guard let token = current else {
                throw ExpressionSyntaxError("the condition ends where a value was expected", offset: endOffset())
            }
            switch token.kind {
            case .openParen:
                advance()
                let inner = try parseOr()
                try expectCloseParen(openedAt: token.offset)
                return inner
            case .word where token.text == "length" && position + 1 < tokens.count
                && tokens[position + 1].kind == .openParen:
                position += 2
                let inner = try parseOr()
                try expectCloseParen(openedAt: token.offset)
                return .length(inner)
            case .literal(let value):
                advance()
                return .literal(value)
            case .template(let template):
                advance()
                return .value(template)
            case .word:
                advance()
                return .literal(.string(token.text))
            default:
                throw ExpressionSyntaxError("unexpected '\(token.text)' where a value was expected", offset: token.offset)
            }
        }

        mutating func expectCloseParen(openedAt offset: Int) throws(ExpressionSyntaxError) {
            guard let close = current, close.kind == .closeParen else {
                throw ExpressionSyntaxError(
                    "missing ')' to close the '(' opened at offset \(offset)",
                    offset: current?.offset ?? endOffset()
                )
            }
            advance()
        }
    }
}
