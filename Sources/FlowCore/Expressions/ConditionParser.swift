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
    /// How deeply a condition may nest: parentheses, `not`, `length`, and each operator of a chain (`a or b or c`
    /// is two levels) count one level each. Deeper conditions are refused, so evaluating one cannot exhaust the stack.
    public static let maxDepth = 100

    /// Parses `text`; errors carry the character offset of the problem.
    public static func parse(_ text: String) throws(ExpressionSyntaxError) -> Expression {
        var tokens = try ConditionLexer.tokenize(text)
        var parser = Parser(tokens: tokens, text: text)
        let expression = try parser.parseOr().expression
        if let token = parser.current {
            throw ExpressionSyntaxError(
                "unexpected '\(token.text)'; expected an operator or the end", offset: token.offset)
        }
        tokens.removeAll()
        return expression
    }

    /// An expression with the number of levels it nests, counted as ``maxDepth`` counts them.
    private struct Parsed {
        var expression: Expression
        var depth: Int
    }

    private struct Parser {
        let tokens: [ConditionToken]
        let text: String
        var position = 0
        /// Parentheses, `not` and `length(` open around the token being parsed.
        var open = 0

        var current: ConditionToken? { position < tokens.count ? tokens[position] : nil }

        mutating func advance() { position += 1 }

        func endOffset() -> Int { text.count }

        /// `expression` as one level over `operands`, refused at `offset` when that nests deeper than ``maxDepth``.
        func nest(_ expression: Expression, over operands: Parsed..., at offset: Int) throws(ExpressionSyntaxError)
            -> Parsed
        {
            let depth = 1 + operands.reduce(0) { max($0, $1.depth) }
            guard depth <= maxDepth else { throw tooDeep(at: offset) }
            return Parsed(expression: expression, depth: depth)
        }

        func tooDeep(at offset: Int) -> ExpressionSyntaxError {
            ExpressionSyntaxError(
                "the condition nests deeper than \(maxDepth) levels (parentheses, 'not', 'length' and chained operators "
                    + "count one each); split it into smaller conditions",
                offset: offset
            )
        }

        /// Parses what `parse` reads inside a parenthesis, `not` or `length(` opened by `token`, one level deeper.
        mutating func inside(_ token: ConditionToken, _ parse: (inout Parser) throws(ExpressionSyntaxError) -> Parsed)
            throws(ExpressionSyntaxError) -> Parsed
        {
            guard open < maxDepth else { throw tooDeep(at: token.offset) }
            open += 1
            defer { open -= 1 }
            return try parse(&self)
        }

        mutating func parseOr() throws(ExpressionSyntaxError) -> Parsed {
            var left = try parseAnd()
            while let token = current, token.kind == .or {
                advance()
                let right = try parseAnd()
                left = try nest(.or(left.expression, right.expression), over: left, right, at: token.offset)
            }
            return left
        }

        mutating func parseAnd() throws(ExpressionSyntaxError) -> Parsed {
            var left = try parseNot()
            while let token = current, token.kind == .and {
                advance()
                let right = try parseNot()
                left = try nest(.and(left.expression, right.expression), over: left, right, at: token.offset)
            }
            return left
        }

        mutating func parseNot() throws(ExpressionSyntaxError) -> Parsed {
            if let token = current, token.kind == .not {
                advance()
                let operand = try inside(token) { parser throws(ExpressionSyntaxError) in try parser.parseNot() }
                return try nest(.not(operand.expression), over: operand, at: token.offset)
            }
            return try parseComparison()
        }

        mutating func parseComparison() throws(ExpressionSyntaxError) -> Parsed {
            let left = try parseFilter()
            guard let token = current else { return left }
            switch token.kind {
            case .comparison(let op):
                advance()
                let right = try parseFilter()
                return try nest(.compare(op, left.expression, right.expression), over: left, right, at: token.offset)
            case .in:
                advance()
                let collection = try parseFilter()
                return try nest(
                    .contains(element: left.expression, collection: collection.expression),
                    over: left, collection,
                    at: token.offset
                )
            case .not:
                if position + 1 < tokens.count, tokens[position + 1].kind == .in {
                    position += 2
                    let collection = try parseFilter()
                    let contains = try nest(
                        .contains(element: left.expression, collection: collection.expression),
                        over: left, collection,
                        at: token.offset
                    )
                    return try nest(.not(contains.expression), over: contains, at: token.offset)
                }
                return left
            default:
                return left
            }
        }

        mutating func parseFilter() throws(ExpressionSyntaxError) -> Parsed {
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
                operand = try nest(.length(operand.expression), over: operand, at: filter.offset)
            }
            return operand
        }

        mutating func parsePrimary() throws(ExpressionSyntaxError) -> Parsed {
            guard let token = current else {
                throw ExpressionSyntaxError("the condition ends where a value was expected", offset: endOffset())
            }
            switch token.kind {
            case .openParen:
                advance()
                let inner = try inside(token) { parser throws(ExpressionSyntaxError) in try parser.parseOr() }
                try expectCloseParen(openedAt: token.offset)
                return inner
            case .word
            where token.text == "length" && position + 1 < tokens.count
                && tokens[position + 1].kind == .openParen:
                position += 2
                let inner = try inside(token) { parser throws(ExpressionSyntaxError) in try parser.parseOr() }
                try expectCloseParen(openedAt: token.offset)
                return try nest(.length(inner.expression), over: inner, at: token.offset)
            case .literal(let value):
                advance()
                return Parsed(expression: .literal(value), depth: 1)
            case .template(let template):
                advance()
                return Parsed(expression: .value(template), depth: 1)
            case .word:
                advance()
                return Parsed(expression: .literal(.string(token.text)), depth: 1)
            default:
                throw ExpressionSyntaxError(
                    "unexpected '\(token.text)' where a value was expected", offset: token.offset)
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
