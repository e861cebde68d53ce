import FlowCore
import Testing

struct ConditionGrammarTests {
    func shape(_ text: String) throws -> String {
        try ConditionParser.parse(text).shape
    }

    // MARK: Operands

    static let operands: [(String, String)] = [
        ("${a}", "${a}"),
        ("${ a.b }", "${a.b}"),
        ("true", "true"),
        ("True", "true"),
        ("FALSE", "false"),
        ("false", "false"),
        ("null", "null"),
        ("None", "\"None\""),
        ("nil", "\"nil\""),
        ("42", "42"),
        ("-3", "-3"),
        ("+7", "7"),
        ("2.5", "2.5"),
        ("1e3", "1000.0"),
        (".5", "0.5"),
        ("active", #""active""#),
        ("-x", #""-x""#),
        ("v1.2", #""v1.2""#),
        ("type-x", #""type-x""#),
        ("\"active\"", #""active""#),
        ("'active'", #""active""#),
        ("\"two words\"", #""two words""#),
        (#"'it\'s'"#, #""it's""#),
        (#""say \"hi\"""#, #""say \"hi\"""#),
        (#"'back\\slash'"#, #""back\\slash""#),
        ("\"true\"", #""true""#),
        ("\"5\"", #""5""#),
        ("\"\"", #""""#),
        ("\"${a}\"", "${a}"),
        ("\"v=${a}\"", #"interp("v=",${a})"#),
        ("type-${inputs.v}", #"interp("type-",${inputs.v})"#),
        ("${a}-${b}", "interp(${a},\"-\",${b})"),
        ("${}", #""${}""#),
    ]

    @Test(arguments: operands)
    func operandsAreLiteralsReferencesOrBareWordStrings(text: String, expected: String) throws {
        #expect(try shape(text) == expected)
    }

    // MARK: Comparisons

    static let comparisons: [(String, String)] = [
        ("${a} == 1", "(== ${a} 1)"),
        ("${a}==1", "(== ${a} 1)"),
        ("${x}>5", "(> ${x} 5)"),
        ("${x}>=5", "(>= ${x} 5)"),
        ("${x}<${y}", "(< ${x} ${y})"),
        ("${x} <= -2.5", "(<= ${x} -2.5)"),
        ("${a} != 'x'", #"(!= ${a} "x")"#),
        ("${a}!=x", #"(!= ${a} "x")"#),
        ("${u.status} == active", #"(== ${u.status} "active")"#),
        ("${u.status} == \"active\"", #"(== ${u.status} "active")"#),
        ("${a} == True", "(== ${a} true)"),
        ("${a} == null", "(== ${a} null)"),
        ("1 == ${a}", "(== 1 ${a})"),
        ("type-${inputs.v} == type-x", #"(== interp("type-",${inputs.v}) "type-x")"#),
        ("(${a}) == (1)", "(== ${a} 1)"),
    ]

    @Test(arguments: comparisons)
    func comparisonsTakeOneOperatorBetweenTwoOperands(text: String, expected: String) throws {
        #expect(try shape(text) == expected)
    }

    @Test(arguments: ComparisonOperator.allCases)
    func everyComparisonOperatorParsesWithAndWithoutSpaces(op: ComparisonOperator) throws {
        let expected = "(\(op.rawValue) ${a} 1)"
        #expect(try shape("${a} \(op.rawValue) 1") == expected)
        #expect(try shape("${a}\(op.rawValue)1") == expected)
    }

    // MARK: Logic and precedence

    static let logic: [(String, String)] = [
        ("not ${a}", "(not ${a})"),
        ("!${a}", "(not ${a})"),
        ("! ! ${a}", "(not (not ${a}))"),
        ("not not ${a}", "(not (not ${a}))"),
        ("${a} and ${b}", "(and ${a} ${b})"),
        ("${a} && ${b}", "(and ${a} ${b})"),
        ("${a} AND ${b}", "(and ${a} ${b})"),
        ("${a} or ${b}", "(or ${a} ${b})"),
        ("${a} || ${b}", "(or ${a} ${b})"),
        ("${a} Or ${b}", "(or ${a} ${b})"),
        ("${a} and ${b} and ${c}", "(and (and ${a} ${b}) ${c})"),
        ("${a} or ${b} or ${c}", "(or (or ${a} ${b}) ${c})"),
        ("${a} and ${b} or ${c}", "(or (and ${a} ${b}) ${c})"),
        ("${a} or ${b} and ${c}", "(or ${a} (and ${b} ${c}))"),
        ("${a} || ${b} && ${c}", "(or ${a} (and ${b} ${c}))"),
        ("not ${a} and ${b}", "(and (not ${a}) ${b})"),
        ("not ${a} or ${b}", "(or (not ${a}) ${b})"),
        ("${a} and not ${b}", "(and ${a} (not ${b}))"),
        ("not ${a} == 1", "(not (== ${a} 1))"),
        ("!${a} == 1", "(not (== ${a} 1))"),
        ("${a} == 1 and ${b} != 2", "(and (== ${a} 1) (!= ${b} 2))"),
        ("${a} > 1 or ${b} < 2 and ${c} >= 3", "(or (> ${a} 1) (and (< ${b} 2) (>= ${c} 3)))"),
        ("(${a} or ${b}) and ${c}", "(and (or ${a} ${b}) ${c})"),
        ("not (${a} and ${b})", "(not (and ${a} ${b}))"),
        ("((${a}))", "${a}"),
        ("(${a} == 1) or (${b} == 2)", "(or (== ${a} 1) (== ${b} 2))"),
    ]

    @Test(arguments: logic)
    func notBindsTighterThanAndWhichBindsTighterThanOr(text: String, expected: String) throws {
        #expect(try shape(text) == expected)
    }

    // MARK: Membership and length

    static let membership: [(String, String)] = [
        ("${a} in ${b}", "(in ${a} ${b})"),
        ("'x' in ${b}", #"(in "x" ${b})"#),
        ("x in ${b}", #"(in "x" ${b})"#),
        ("${a} IN ${b}", "(in ${a} ${b})"),
        ("${a} not in ${b}", "(not (in ${a} ${b}))"),
        ("${a} NOT IN ${b}", "(not (in ${a} ${b}))"),
        ("not ${a} in ${b}", "(not (in ${a} ${b}))"),
        ("${a} in ${b} and ${c}", "(and (in ${a} ${b}) ${c})"),
        ("length(${x}) > 2", "(> (length ${x}) 2)"),
        ("length (${x}) > 2", "(> (length ${x}) 2)"),
        ("length(${x} or ${y})", "(length (or ${x} ${y}))"),
        ("${x} | length == 3", "(== (length ${x}) 3)"),
        ("${x}|length==3", "(== (length ${x}) 3)"),
        ("${x} | length | length", "(length (length ${x}))"),
        ("3 == ${x} | length", "(== 3 (length ${x}))"),
        ("length(${x}) | length", "(length (length ${x}))"),
        ("${a} == length", #"(== ${a} "length")"#),
    ]

    @Test(arguments: membership)
    func inNotInAndLengthParse(text: String, expected: String) throws {
        #expect(try shape(text) == expected)
    }

    @Test func referencesAreCollectedFromTheWholeExpression() throws {
        let expression = try ConditionParser.parse("not (${a.x} in ${b}) and length(${c[0]}) > \"${d}-${e}\"")
        #expect(expression.references.map(\.description) == ["${a.x}", "${b}", "${c[0]}", "${d}", "${e}"])
        let condition = Condition.any([.expression(expression, source: ""), .all([.constant(true)])])
        #expect(condition.references.count == 5)
    }

    // MARK: Syntax errors

    static let syntaxErrors: [(String, Int, String)] = [
        ("${a} = 5", 5, "single '='"),
        ("${a}=5", 4, "single '='"),
        ("(${a} == 1", 10, "missing ')'"),
        ("((${a} == 1)", 12, "missing ')'"),
        ("length(${x} > 2", 15, "missing ')'"),
        ("${a} ==", 7, "ends where a value was expected"),
        ("${a} == 1 and", 13, "ends where a value was expected"),
        ("${a} and", 8, "ends where a value was expected"),
        ("not", 3, "ends where a value was expected"),
        ("", 0, "ends where a value was expected"),
        ("   ", 3, "ends where a value was expected"),
        ("${a} == \"abc", 8, "unterminated string"),
        ("${a} == 'abc", 8, "unterminated string"),
        (#"${a} == 'it\'s"#, 8, "unterminated string"),
        ("${x} | upper", 7, "unknown filter"),
        ("${x} | length | upper == 3", 16, "unknown filter"),
        ("${x} |", 6, "unknown filter"),
        ("${x} | 'length'", 7, "unknown filter"),
        ("${a} & ${b}", 5, "single '&'"),
        ("${a} == 1)", 9, "unexpected ')'"),
        ("1 < 2 < 3", 6, "unexpected '<'"),
        ("${a} == 1 ${b}", 10, "unexpected '${b}'"),
        ("${a} not ${b}", 5, "unexpected 'not'"),
        ("and ${a}", 0, "unexpected 'and'"),
        ("${a} == == 1", 8, "unexpected '=='"),
        ("()", 1, "unexpected ')'"),
        ("${a == 1", 0, "unclosed '${'"),
        ("${a} == x${b", 9, "unclosed '${'"),
        ("${a..b} == 1", 4, "empty path segment"),
        ("${x} == \"${a..b}\"", 13, "empty path segment"),
        ("${x} == \"v=${a[y]}\"", 14, "must be an integer or a quoted key"),
    ]

    @Test(arguments: syntaxErrors)
    func syntaxErrorsCarryTheOffsetOfTheProblem(text: String, offset: Int, message: String) {
        let error = #expect(throws: ExpressionSyntaxError.self) { try ConditionParser.parse(text) }
        #expect(error?.offset == offset)
        #expect(error?.message.contains(message) == true)
        #expect((0...text.count).contains(error?.offset ?? -1))
    }

    @Test func theSingleEqualsErrorPointsAtTheEqualsSign() throws {
        let text = "${inputs.a} = 5"
        let equals = try #require(Array(text).firstIndex(of: "="))
        let error = #expect(throws: ExpressionSyntaxError.self) { try ConditionParser.parse(text) }
        #expect(error?.offset == equals)
        #expect(error?.message == "single '=' is not an operator; use '==' to compare")
    }

    @Test func theUnbalancedParenthesisErrorNamesWhereItWasOpened() {
        let error = #expect(throws: ExpressionSyntaxError.self) { try ConditionParser.parse("${a} and (${b} or ${c}") }
        #expect(error?.message == "missing ')' to close the '(' opened at offset 9")
        #expect(error?.offset == 22)
    }

    @Test func theUnknownFilterErrorPointsAtTheFilterName() throws {
        let text = "${x} | upper"
        let filterStart = try #require(Array(text).firstIndex(of: "u"))
        let error = #expect(throws: ExpressionSyntaxError.self) { try ConditionParser.parse(text) }
        #expect(error?.offset == filterStart)
    }

    @Test func offsetsCountCharactersNotBytes() {
        // "é" is two UTF-8 bytes but one character.
        let error = #expect(throws: ExpressionSyntaxError.self) { try ConditionParser.parse("'é' = 1") }
        #expect(error?.offset == 4)
    }

    // MARK: Nesting (found by fuzzing: each of these overflowed the stack when parsed or evaluated)

    /// 100,000 levels of each way to nest, with the offset of the level past the limit; by the name of the shape, so
    /// the test's arguments stay short.
    static let tooDeep: [String: (text: String, offset: Int)] = [
        "parentheses": (String(repeating: "(", count: 100_000) + "a" + String(repeating: ")", count: 100_000), 100),
        "not": (String(repeating: "not ", count: 100_000) + "a", 400),
        // The fuzzer's find: a thousand `!` overflowed a 1 MiB stack when evaluated.
        "!": (String(repeating: "!", count: 100_000) + "a", 100),
        "or chain": (Array(repeating: "a", count: 100_000).joined(separator: " or "), 497),
        "and chain": (Array(repeating: "a", count: 100_000).joined(separator: " && "), 497),
        "length filters": ("a" + String(repeating: "|length", count: 100_000), 695),
        "length calls": (
            String(repeating: "length(", count: 100_000) + "a" + String(repeating: ")", count: 100_000), 700
        ),
    ]

    @Test(arguments: tooDeep.keys.sorted())
    func aDeeplyNestedConditionIsRefusedNotACrash(shape: String) throws {
        let (text, offset) = try #require(Self.tooDeep[shape])
        let error = #expect(throws: ExpressionSyntaxError.self) { try ConditionParser.parse(text) }
        #expect(error?.message.hasPrefix("the condition nests deeper than 100 levels") == true)
        #expect(error?.offset == offset)
    }

    @Test func aConditionAtTheDepthLimitParsesAndEvaluates() throws {
        let parenthesized = String(repeating: "(", count: 99) + "${a}" + String(repeating: ")", count: 99)
        #expect(try shape(parenthesized) == "${a}")
        let chain = try ConditionParser.parse(Array(repeating: "${a}", count: 100).joined(separator: " or "))
        #expect(try chain.evaluate(in: DictionaryScope(["a": true])) == true)
    }
}
