import FlowCore
import OrderedCollections
import Testing

struct JSONParserTests {
    // MARK: Values

    @Test func objectsKeepTheirKeysInDocumentOrder() throws {
        let value = try FlowValue(json: #"{"zeta": 1, "alpha": 2, "mid": {"y": 1, "x": 2}}"#)
        let members = try #require(value.objectValue)
        #expect(Array(members.keys) == ["zeta", "alpha", "mid"])
        let nested = try #require(members["mid"]?.objectValue)
        #expect(Array(nested.keys) == ["y", "x"])
    }

    @Test func duplicateKeysKeepTheLastValueAtTheFirstPosition() throws {
        let value = try FlowValue(json: #"{"a": 1, "b": 2, "a": 3}"#)
        let members = try #require(value.objectValue)
        #expect(Array(members.keys) == ["a", "b"])
        #expect(members["a"] == .int(3))
    }

    static let numbers: [(String, FlowValue)] = [
        ("0", .int(0)),
        ("1", .int(1)),
        ("-7", .int(-7)),
        ("-0", .int(0)),
        ("9223372036854775807", .int(Int.max)),
        ("-9223372036854775808", .int(Int.min)),
        ("1.5", .double(1.5)),
        ("1.0", .double(1.0)),
        ("-0.25", .double(-0.25)),
        ("1e3", .double(1000)),
        ("1E3", .double(1000)),
        ("2.5e-1", .double(0.25)),
        ("1e+2", .double(100)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)),
    ]

    @Test(arguments: numbers)
    func numbersAreIntegersUnlessTheyHaveAFractionOrExponent(text: String, expected: FlowValue) throws {
        let value = try FlowValue(json: text)
        #expect(value == expected)
        #expect(value.kindName == expected.kindName)
    }

    static let literals: [(String, FlowValue)] = [
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("null", .null),
        (#""""#, .string("")),
        (#"  "padded"  "#, .string("padded")),
        ("[]", .array([])),
        ("{}", .emptyObject),
        (" [ 1 , \"a\" , [ null ] , { } ] ", [1, "a", [nil], .emptyObject]),
        ("\n{\r\n\t\"k\" :\n[true,false]\n}\n", ["k": [true, false]]),
    ]

    @Test(arguments: literals)
    func literalsAndContainersParseToTheirValues(text: String, expected: FlowValue) throws {
        #expect(try FlowValue(json: text) == expected)
    }

    static let escapes: [(String, String)] = [
        (#""\"\\\/""#, "\"\\/"),
        (#""\b\f\n\r\t""#, "\u{08}\u{0C}\n\r\t"),
        (#""\u0041\u00e9\u00E9""#, "Aéé"),
        (#""\u0000""#, "\u{00}"),
        (#""\ud83d\ude00""#, "😀"),
        (#""\uD834\uDD1E clef""#, "𝄞 clef"),
        (#""a\u20ACb""#, "a€b"),
        (#""raw 日本 ✓""#, "raw 日本 ✓"),
        (#""mixed \"q\" 😀 \u00e9\n""#, "mixed \"q\" 😀 é\n"),
    ]

    @Test(arguments: escapes)
    func stringEscapesDecodeIncludingSurrogatePairs(text: String, expected: String) throws {
        #expect(try FlowValue(json: text) == .string(expected))
    }

    // MARK: Errors

    /// Parses `text`, which must fail, and returns the error.
    func parseError(_ text: String, maxDepth: Int = 512) throws -> JSONParseError {
        let value: FlowValue
        do {
            value = try FlowValue(json: text, maxDepth: maxDepth)
        } catch {
            return error
        }
        Issue.record("expected a parse error for \(text.debugDescription), got \(value.jsonText)")
        throw UnexpectedSuccess()
    }

    struct UnexpectedSuccess: Error {}

    static let malformed: [(String, Int, Int, String)] = [
        (#"{"a": }"#, 1, 7, "unexpected character '}'"),
        ("[1, 2,]", 1, 7, "unexpected character ']'"),
        (#"{"a" 1}"#, 1, 6, "expected ':'"),
        ("{1: 2}", 1, 2, "expected a string key"),
        ("[1 2]", 1, 4, "expected ',' or ']'"),
        (#"{"a": 1 "b": 2}"#, 1, 9, "expected ',' or '}'"),
        ("[tru]", 1, 2, "expected 'true'"),
        ("nul", 1, 1, "expected 'null'"),
        (#""abc"#, 1, 5, "unterminated string"),
        (#""a\qb""#, 1, 5, "invalid escape"),
        (#""\u12""#, 1, 4, "\\u escape"),
        (#""\u12G4""#, 1, 6, "invalid hex digit"),
        (#""\ud83d""#, 1, 8, "unpaired surrogate"),
        (#""\ud83d\u0041""#, 1, 14, "invalid surrogate pair"),
        (#""\udc00""#, 1, 8, "invalid \\u escape"),
        ("\"a\nb\"", 1, 3, "control character"),
        ("-", 1, 2, "invalid number"),
        ("1.", 1, 3, "invalid number"),
        ("1e", 1, 3, "invalid number"),
        (".5", 1, 1, "unexpected character '.'"),
        ("+1", 1, 1, "unexpected character '+'"),
        ("NaN", 1, 1, "unexpected character 'N'"),
        ("[", 1, 2, "unexpected end of input"),
        ("{\"a\": 1,\n  \"b\": ?}", 2, 8, "unexpected character '?'"),
        ("[\n1,\n\n  x]", 4, 3, "unexpected character 'x'"),
        (#"["é", ?]"#, 1, 7, "unexpected character '?'"),
    ]

    @Test(arguments: malformed)
    func malformedJSONReportsLineAndColumn(text: String, line: Int, column: Int, message: String) throws {
        let error = try parseError(text)
        #expect(error.line == line)
        #expect(error.column == column)
        #expect(error.message.contains(message))
        #expect(error.description == "invalid JSON at line \(line), column \(column): \(error.message)")
    }

    @Test func theMissingValueErrorPointsAtTheClosingBrace() throws {
        let text = #"{"a": }"#
        let error = try parseError(text)
        let braceColumn = try #require(Array(text).firstIndex(of: "}")) + 1
        #expect(error.line == 1)
        #expect(error.column == braceColumn)
        #expect(error.message == "unexpected character '}'")
    }

    @Test func nestingBeyondTheDefaultDepthLimitIsRefused() throws {
        let error = try parseError(String(repeating: "[", count: 1000))
        #expect(error.message == "nesting deeper than 512 levels")
        #expect(error.line == 1)
        #expect(error.column == 513)
    }

    @Test func nestingUpToTheDefaultLimitParses() throws {
        let text = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        var value = try FlowValue(json: text)
        var depth = 0
        while let elements = value.arrayValue {
            depth += 1
            guard let first = elements.first else { break }
            value = first
        }
        #expect(depth == 512)
    }

    @Test(arguments: [1, 3, 10])
    func theDepthLimitIsConfigurableAndCountsObjectsToo(limit: Int) throws {
        let arrays = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(try FlowValue(json: arrays, maxDepth: limit).arrayValue != nil)
        let objects = String(repeating: #"{"k":"#, count: limit) + "1" + String(repeating: "}", count: limit)
        #expect(try FlowValue(json: objects, maxDepth: limit).objectValue != nil)

        let deeperArrays = "[" + arrays + "]"
        #expect(try parseError(deeperArrays, maxDepth: limit).message == "nesting deeper than \(limit) levels")
        let deeperObjects = #"{"k":"# + objects + "}"
        #expect(try parseError(deeperObjects, maxDepth: limit).message == "nesting deeper than \(limit) levels")
    }

    @Test func siblingContainersDoNotAccumulateDepth() throws {
        let text = "[" + String(repeating: "[],", count: 50) + "{}]"
        #expect(try FlowValue(json: text, maxDepth: 2).arrayValue?.count == 51)
    }

    @Test(arguments: ["{} x", "1 2", "[1]]", "truex", "nulls", #""a" "b""#, "{}{}", "0 // comment"])
    func trailingTextAfterTheValueIsRejected(text: String) throws {
        let error = try parseError(text)
        #expect(error.message == "unexpected text after the JSON value")
    }

    @Test(arguments: ["", " ", "\n\t\r\n  "])
    func anEmptyDocumentIsRejected(text: String) throws {
        let error = try parseError(text)
        #expect(error.message == "the document is empty")
    }

    @Test(arguments: ["01", "-01", "00"])
    func leadingZerosAreRejected(text: String) throws {
        // RFC 8259 forbids leading zeros.
        #expect(throws: JSONParseError.self) { try FlowValue(json: text) }
    }

    // MARK: Round trip

    static let roundTrips: [FlowValue] = [
        .null,
        true,
        false,
        0,
        -42,
        .int(Int.max),
        .int(Int.min),
        1.5,
        -0.001,
        1e-7,
        1e20,
        6.02214076e23,
        "",
        "plain",
        "quote \" backslash \\ slash / newline \n tab \t cr \r",
        "controls \u{00}\u{01}\u{08}\u{0C}\u{1F}",
        "unicode é 日本 😀 𝄞",
        [],
        .emptyObject,
        [1, "a", nil, true, [2.5, ["deep": []]]],
        ["z": 1, "a": ["nested": "yes", "list": [1, 2, 3]], "m": nil],
        ["key with \"quotes\"": "v", "": "empty key", "ключ": "значение"],
    ]

    @Test(arguments: roundTrips)
    func jsonTextRoundTripsThroughTheParser(value: FlowValue) throws {
        let text = value.jsonText
        let parsed = try FlowValue(json: text)
        #expect(parsed == value)
        #expect(parsed.jsonText == text)
    }

    @Test func integralDoublesComeBackAsIntegers() throws {
        // 5.0 renders as "5" (spec), so the round trip changes the kind but not the value.
        let value: FlowValue = ["n": 5.0, "list": [2.0, -3.0]]
        let parsed = try FlowValue(json: value.jsonText)
        #expect(parsed == ["n": 5, "list": [2, -3]])
        #expect(ValueComparison.strictlyEqual(parsed, value))
    }
}
