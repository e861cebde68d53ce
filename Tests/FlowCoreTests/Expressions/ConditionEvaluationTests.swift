import FlowCore
import Testing

struct ConditionEvaluationTests {
    static let scope = DictionaryScope([
        "inputs": [
            "t": true,
            "f": false,
            "zero": 0,
            "one": 1,
            "s": "active",
            "strtrue": "true",
            "n": nil,
            "num": "5",
            "x": 10,
            "v": "x",
            "list": [1, 2, 3],
            "tags": ["a", "b"],
            "obj": ["k": 1],
            "text": "hello world",
            "empty": "",
            "emptyList": [],
        ],
        "u": ["status": "active", "age": 20],
    ])

    func condition(_ text: String) throws -> Condition {
        .expression(try ConditionParser.parse(text), source: text)
    }

    func evaluate(_ text: String, in scope: DictionaryScope = Self.scope) throws -> Bool {
        try condition(text).evaluate(in: scope)
    }

    /// Evaluates `text`, which must fail, and returns the error.
    func evaluationError(_ text: String, in scope: DictionaryScope = Self.scope) throws -> ConditionEvaluationError? {
        let condition = try condition(text)
        return #expect(throws: ConditionEvaluationError.self) { try condition.evaluate(in: scope) }
    }

    // MARK: Truth table

    static let truthTable: [(String, Bool)] = [
        ("${inputs.t} == true", true),
        ("${inputs.t} == True", true),
        ("${inputs.f} == false", true),
        ("${inputs.zero} == false", true),
        ("${inputs.one} == true", true),
        ("${inputs.strtrue} == true", false),
        ("${u.status} == \"active\"", true),
        ("${u.status} == 'active'", true),
        ("${u.status} == active", true),
        ("${inputs.s} == ${u.status}", true),
        ("${u.age} >= 18", true),
        ("${u.age} > 18.5", true),
        ("${inputs.num} == 5", true),
        ("${inputs.num} > 4", true),
        ("${inputs.n} == null", true),
        ("${inputs.t}", true),
        ("${inputs.f}", false),
        ("${inputs.zero}", false),
        ("false", false),
    ]

    @Test(arguments: truthTable)
    func theSpecTruthTableHolds(text: String, expected: Bool) throws {
        #expect(try evaluate(text) == expected)
    }

    static let moreComparisons: [(String, Bool)] = [
        ("true", true),
        ("null", false),
        ("0", false),
        ("1", true),
        ("'false'", true),
        ("${inputs.s}", true),
        ("${inputs.empty}", false),
        ("${inputs.emptyList}", false),
        ("${inputs.list}", true),
        ("${inputs.n}", false),
        ("${inputs.x}>5", true),
        ("${inputs.x}<5", false),
        ("${u.age} < 18", false),
        ("${u.age} <= 20", true),
        ("${u.age} != 20", false),
        ("${inputs.x} == 10.0", true),
        ("${inputs.num} == \"5.0\"", false),
        ("${inputs.num} == '5'", true),
        ("${u.status} != inactive", true),
        ("${inputs.s} == \"Active\"", false),
        ("${inputs.n} == \"\"", false),
        ("${inputs.n} == 0", false),
        ("${inputs.n} != null", false),
        ("${inputs.f} == 0", true),
        ("${inputs.t} == 1", true),
        ("${inputs.t} == \"true\"", false),
        ("\"${inputs.x}\" == 10", true),
        ("\"x=${inputs.x}\" == \"x=10\"", true),
        ("type-${inputs.v} == type-x", true),
        ("type-${inputs.v} == type-y", false),
        ("${inputs.tags} == ${inputs.tags}", true),
    ]

    @Test(arguments: moreComparisons)
    func comparisonsAndTruthinessFollowTheLooseRules(text: String, expected: Bool) throws {
        #expect(try evaluate(text) == expected)
    }

    // MARK: Logic

    static let logic: [(String, Bool)] = [
        ("${inputs.t} and ${inputs.f}", false),
        ("${inputs.t} && ${inputs.one}", true),
        ("${inputs.f} or ${inputs.zero}", false),
        ("${inputs.f} || ${inputs.t}", true),
        ("not ${inputs.f}", true),
        ("!${inputs.t}", false),
        ("!!${inputs.t}", true),
        ("not ${inputs.empty}", true),
        ("${inputs.t} or ${inputs.f} and ${inputs.f}", true),
        ("(${inputs.t} or ${inputs.f}) and ${inputs.f}", false),
        ("not ${inputs.f} and ${inputs.f}", false),
        ("not (${inputs.f} and ${inputs.t})", true),
        ("not ${inputs.t} or ${inputs.t}", true),
        ("${u.age} >= 18 and ${u.status} == active", true),
        ("${u.age} < 18 || ${u.status} == active && ${inputs.t}", true),
        ("not ${u.age} == 20", false),
    ]

    @Test(arguments: logic)
    func andOrNotFollowPrecedenceAndParentheses(text: String, expected: Bool) throws {
        #expect(try evaluate(text) == expected)
    }

    @Test func andAndOrShortCircuitPastUnresolvableReferences() throws {
        #expect(try evaluate("${inputs.f} and ${missing.a}") == false)
        #expect(try evaluate("${inputs.t} or ${missing.a}") == true)
        let error = try evaluationError("${inputs.t} and ${missing.a}")
        guard case .resolution(let resolution) = error else {
            Issue.record("expected a resolution error, got \(String(describing: error))")
            return
        }
        #expect(resolution.reference == "${missing.a}")
    }

    // MARK: Membership and length

    static let membership: [(String, Bool)] = [
        ("2 in ${inputs.list}", true),
        ("5 in ${inputs.list}", false),
        ("\"2\" in ${inputs.list}", true),
        ("2.0 in ${inputs.list}", true),
        ("a in ${inputs.tags}", true),
        ("c in ${inputs.tags}", false),
        ("c not in ${inputs.tags}", true),
        ("a not in ${inputs.tags}", false),
        ("\"ell\" in ${inputs.text}", true),
        ("world in ${inputs.text}", true),
        ("xyz in ${inputs.text}", false),
        ("xyz not in ${inputs.text}", true),
        ("${inputs.x} in \"10 20\"", true),
        ("1 in \"a1b\"", true),
        ("k in ${inputs.obj}", true),
        ("v in ${inputs.obj}", false),
        ("v not in ${inputs.obj}", true),
        ("1 in ${inputs.obj}", false),
        ("${u.status} in ${inputs.s}", true),
        ("x in ${inputs.emptyList}", false),
    ]

    @Test(arguments: membership)
    func inSearchesArraysSubstringsAndObjectKeys(text: String, expected: Bool) throws {
        #expect(try evaluate(text) == expected)
    }

    static let lengths: [(String, Bool)] = [
        ("length(${inputs.list}) > 2", true),
        ("length(${inputs.list}) > 3", false),
        ("${inputs.list} | length == 3", true),
        ("${inputs.list}|length==3", true),
        ("length(${inputs.text}) == 11", true),
        ("${inputs.obj} | length == 1", true),
        ("length(${inputs.n}) == 0", true),
        ("length(${inputs.emptyList})", false),
        ("length(${inputs.tags})", true),
        ("${inputs.tags.length} == 2", true),
    ]

    @Test(arguments: lengths)
    func lengthCountsArraysObjectsAndStrings(text: String, expected: Bool) throws {
        #expect(try evaluate(text) == expected)
    }

    // MARK: Ordering

    static let orderings: [(FlowValue, FlowValue, String, Bool)] = [
        ("10", "9", ">", true),
        ("b10", "b9", ">", false),
        ("9", "10", "<", true),
        ("10", 9, ">", true),
        (" 7", "10", "<", true),
        ("1e3", "999", ">", true),
        ("-5", "3", "<", true),
        ("10", "10.0", "==", false),
        ("010", "10", "==", false),
        ("10", "9a", ">", false),
        ("abc", "abd", "<", true),
        ("abc", "abc", ">=", true),
        ("", "", "<=", true),
        (2, 2.5, "<", true),
        (3.0, 3, ">=", true),
    ]

    @Test(arguments: orderings)
    func numericStringsOrderAsNumbersAndOtherStringsLexicographically(
        a: FlowValue, b: FlowValue, op: String, expected: Bool
    ) throws {
        let scope = DictionaryScope(["a": a, "b": b])
        #expect(try evaluate("${a} \(op) ${b}", in: scope) == expected)
    }

    @Test func orderingAStringAgainstANumberIsAnErrorNamingBothSides() throws {
        let error = try evaluationError("${inputs.s} > 5")
        guard case .invalid(let invalid) = error else {
            Issue.record("expected an invalid error, got \(String(describing: error))")
            return
        }
        #expect(invalid.message.contains(#"string "active""#))
        #expect(invalid.message.contains("integer 5"))
        #expect(invalid.message.contains("'>'"))
    }

    static let unorderable: [(String, [String])] = [
        ("5 < ${inputs.s}", ["integer 5", #"string "active""#]),
        ("${inputs.t} > 0", ["boolean true", "integer 0"]),
        ("${inputs.t} >= ${inputs.f}", ["boolean true", "boolean false"]),
        ("${inputs.n} < 1", ["null", "integer 1"]),
        ("${inputs.list} > 1", ["array [1,2,3]", "integer 1"]),
        ("${inputs.obj} <= ${inputs.obj}", [#"object {"k":1}"#]),
        ("${inputs.tags} < abc", [#"array ["a","b"]"#, #"string "abc""#]),
    ]

    @Test(arguments: unorderable)
    func mixedKindOrderingThrowsInvalid(text: String, fragments: [String]) throws {
        let error = try evaluationError(text)
        guard case .invalid(let invalid) = error else {
            Issue.record("expected an invalid error, got \(String(describing: error))")
            return
        }
        for fragment in fragments {
            #expect(invalid.message.contains(fragment))
        }
        #expect(invalid.description == invalid.message)
    }

    @Test func equalityBetweenMixedKindsIsFalseRatherThanAnError() throws {
        #expect(try evaluate("${inputs.s} == 5") == false)
        #expect(try evaluate("${inputs.s} != 5") == true)
        #expect(try evaluate("${inputs.list} == 1") == false)
    }

    // MARK: Other errors

    @Test func inOverAScalarIsInvalid() throws {
        let error = try evaluationError("x in ${inputs.x}")
        guard case .invalid(let invalid) = error else {
            Issue.record("expected an invalid error, got \(String(describing: error))")
            return
        }
        #expect(invalid.message == "'in' needs an array, object or string on its right, got integer")
    }

    @Test(arguments: ["length(${inputs.x}) > 1", "${inputs.list} | length | length == 1"])
    func lengthOfAScalarIsInvalid(text: String) throws {
        let error = try evaluationError(text)
        guard case .invalid(let invalid) = error else {
            Issue.record("expected an invalid error, got \(String(describing: error))")
            return
        }
        #expect(invalid.message == "length needs an array, object or string, got integer")
    }

    @Test func unresolvableReferencesSurfaceAsResolutionErrors() throws {
        let error = try evaluationError("${nope.a} == 1")
        guard case .resolution(let resolution) = error else {
            Issue.record("expected a resolution error, got \(String(describing: error))")
            return
        }
        #expect(resolution.reference == "${nope.a}")
        #expect(resolution.message.contains("'nope'"))
    }

    // MARK: Quantifiers

    @Test func emptyQuantifiersFollowLogic() throws {
        #expect(try Condition.all([]).evaluate(in: Self.scope) == true)
        #expect(try Condition.none([]).evaluate(in: Self.scope) == true)
        #expect(try Condition.any([]).evaluate(in: Self.scope) == false)
    }

    static let quantifiers: [([Bool], Bool, Bool, Bool)] = [
        // members, any, all, none
        ([true], true, true, false),
        ([false], false, false, true),
        ([true, false], true, false, false),
        ([false, false], false, false, true),
        ([true, true], true, true, false),
    ]

    @Test(arguments: quantifiers)
    func quantifiersCombineTheirMembers(members: [Bool], any: Bool, all: Bool, none: Bool) throws {
        let conditions = members.map(Condition.constant)
        #expect(try Condition.any(conditions).evaluate(in: Self.scope) == any)
        #expect(try Condition.all(conditions).evaluate(in: Self.scope) == all)
        #expect(try Condition.none(conditions).evaluate(in: Self.scope) == none)
    }

    @Test func quantifiersNest() throws {
        let nested = Condition.all([
            .any([.constant(false), try condition("${u.age} > 18")]),
            .none([try condition("${inputs.f}"), .any([])]),
            .all([]),
        ])
        #expect(try nested.evaluate(in: Self.scope) == true)
        #expect(try Condition.none([nested]).evaluate(in: Self.scope) == false)
        #expect(try Condition.any([.all([.constant(false)]), .none([.constant(false)])]).evaluate(in: Self.scope))
    }

    @Test func quantifiersStopAtTheFirstDecidingMember() throws {
        let failing = try condition("${missing.a}")
        #expect(try Condition.any([.constant(true), failing]).evaluate(in: Self.scope) == true)
        #expect(try Condition.all([.constant(false), failing]).evaluate(in: Self.scope) == false)
        #expect(try Condition.none([.constant(true), failing]).evaluate(in: Self.scope) == false)
        #expect(throws: ConditionEvaluationError.self) {
            try Condition.all([.constant(true), failing]).evaluate(in: Self.scope)
        }
    }

    // MARK: ValueComparison

    static let looseEquality: [(FlowValue, FlowValue, Bool)] = [
        (1, 1.0, true),
        (1, "1", true),
        ("1", "1.0", false),
        ("007", "7", false),
        (" 2 ", 2, true),
        ("abc", "abc", true),
        ("abc", "ABC", false),
        (true, 1, true),
        (false, 0, true),
        (true, "1", true),
        (true, "true", false),
        (nil, nil, true),
        (nil, 0, false),
        (nil, "", false),
        (nil, false, false),
        ("", 0, false),
        ([1, 2], [1.0, 2.0], true),
        ([1], ["1"], false),
        (["a": 1, "b": 2], ["b": 2.0, "a": 1], true),
        (["a": 1], ["a": 1, "b": 2], false),
    ]

    @Test(arguments: looseEquality)
    func looseEqualityCoercesNumericStringsAndBooleans(left: FlowValue, right: FlowValue, expected: Bool) {
        #expect(ValueComparison.looselyEqual(left, right) == expected)
        #expect(ValueComparison.looselyEqual(right, left) == expected)
    }

    static let strictEquality: [(FlowValue, FlowValue, Bool)] = [
        (1, 1.0, true),
        (1, "1", false),
        ("1", "1.0", false),
        (true, 1, true),
        (false, 0, true),
        ("a", "a", true),
        (nil, nil, true),
        (nil, false, false),
        ([1, [2]], [1, [2.0]], true),
        ([1, 2], [1, 2, 3], false),
        (["a": 1], ["a": 1, "b": 2], false),
        (["a": 1], ["b": 1], false),
        (["x": 1, "y": 2], ["y": 2, "x": 1], true),
    ]

    @Test(arguments: strictEquality)
    func strictEqualityComparesNumbersByValueButNeverCoercesStrings(
        left: FlowValue, right: FlowValue, expected: Bool
    ) {
        #expect(ValueComparison.strictlyEqual(left, right) == expected)
        #expect(ValueComparison.strictlyEqual(right, left) == expected)
    }

    static let comparisons: [(FlowValue, FlowValue, ComparisonOperator, Bool)] = [
        (1, 2, .less, true),
        (2, 2, .lessOrEqual, true),
        (2, 2, .less, false),
        (2.5, 2, .greater, true),
        (3, 3.0, .greaterOrEqual, true),
        ("a", "b", .less, true),
        ("b", "a", .greaterOrEqual, true),
        ("10", "9", .greater, true),
        ("b10", "b9", .greater, false),
        (1, "2", .less, true),
        (1, 1, .notEqual, false),
        ("x", 1, .equal, false),
        ("x", 1, .notEqual, true),
        (true, false, .equal, false),
        (nil, nil, .equal, true),
        ([1], [1], .equal, true),
    ]

    @Test(arguments: comparisons)
    func compareOrdersNumbersAndStrings(left: FlowValue, right: FlowValue, op: ComparisonOperator, expected: Bool)
        throws
    {
        #expect(try ValueComparison.compare(left, right, op) == expected)
    }

    static let compareErrors: [(FlowValue, FlowValue, ComparisonOperator)] = [
        ("active", 5, .greater),
        (5, "active", .less),
        (true, 1, .less),
        (true, false, .greater),
        (nil, 1, .lessOrEqual),
        (nil, nil, .less),
        ([1], [2], .less),
        (["a": 1], 1, .greaterOrEqual),
    ]

    @Test(arguments: compareErrors)
    func compareRefusesToOrderMixedOrUnorderableKinds(left: FlowValue, right: FlowValue, op: ComparisonOperator) {
        let error = #expect(throws: ConditionError.self) { try ValueComparison.compare(left, right, op) }
        #expect(error?.message.contains("'\(op.rawValue)'") == true)
        #expect(error?.message.contains("both sides must be numbers or both strings") == true)
    }

    @Test func theMixedOrderingMessageIsExact() {
        let error = #expect(throws: ConditionError.self) { try ValueComparison.compare("active", 5, .greater) }
        #expect(
            error?.message
                == #"cannot order string "active" and integer 5 with '>'; both sides must be numbers or both strings"#
        )
    }
}
