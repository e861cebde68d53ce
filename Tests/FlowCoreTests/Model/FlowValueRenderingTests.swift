import FlowCore
import Foundation
import OrderedCollections
import Testing

struct FlowValueRenderingTests {
    // MARK: jsonText

    static let jsonRenderings: [(FlowValue, String)] = [
        (.null, "null"),
        (true, "true"),
        (false, "false"),
        (0, "0"),
        (42, "42"),
        (-3, "-3"),
        (5.0, "5"),
        (-2.0, "-2"),
        (0.0, "0"),
        (1.5, "1.5"),
        (-0.25, "-0.25"),
        (1e20, "1e+20"),
        (.double(.infinity), "null"),
        (.double(-.infinity), "null"),
        (.double(.nan), "null"),
        ("", #""""#),
        ("plain", #""plain""#),
        ("a\"b\\c/d", #""a\"b\\c/d""#),
        ("line\nbreak\ttab\rcr", #""line\nbreak\ttab\rcr""#),
        ("\u{08}\u{0C}", #""\b\f""#),
        ("\u{00}\u{01}\u{1F}", #""\u0000\u0001\u001f""#),
        ("é 日本 😀", #""é 日本 😀""#),
        ("日\"本\n😀", #""日\"本\n😀""#),
        ([], "[]"),
        (.emptyObject, "{}"),
        ([1, "a"], #"[1,"a"]"#),
        ([nil, [true, 2.5]], "[null,[true,2.5]]"),
        (["k": "v"], #"{"k":"v"}"#),
        (["b": 1, "a": [true, nil], "c": ["x": 5.0]], #"{"b":1,"a":[true,null],"c":{"x":5}}"#),
        (["quote\"key": 1], #"{"quote\"key":1}"#),
    ]

    @Test(arguments: jsonRenderings)
    func jsonTextIsCompactJSONInInsertionOrder(value: FlowValue, expected: String) {
        #expect(value.jsonText == expected)
    }

    @Test func integralDoublesRenderWithoutAFraction() {
        #expect(FlowValue.double(5.0).jsonText == "5")
        #expect(FlowValue.double(123_456_789.0).jsonText == "123456789")
        #expect(!FlowValue.double(5.0).jsonText.contains("."))
    }

    // MARK: interpolationText

    static let interpolationRenderings: [(FlowValue, String)] = [
        ("raw \"text\"\n", "raw \"text\"\n"),
        ("", ""),
        (.null, "null"),
        (true, "true"),
        (1, "1"),
        (5.0, "5"),
        (2.5, "2.5"),
        ([1, "a"], #"[1,"a"]"#),
        (["k": "v"], #"{"k":"v"}"#),
        (["list": ["s"]], #"{"list":["s"]}"#),
    ]

    @Test(arguments: interpolationRenderings)
    func interpolationTextIsRawForStringsAndJSONForEverythingElse(value: FlowValue, expected: String) {
        #expect(value.interpolationText == expected)
    }

    // MARK: Accessors

    static let kinds: [(FlowValue, String)] = [
        (.null, "null"), (true, "boolean"), (1, "integer"), (1.5, "number"), ("s", "string"),
        ([], "array"), (.emptyObject, "object"),
    ]

    @Test(arguments: kinds)
    func kindNamesAreTheWordsErrorMessagesUse(value: FlowValue, kind: String) {
        #expect(value.kindName == kind)
    }

    static let truthiness: [(FlowValue, Bool)] = [
        (.null, false), (false, false), (true, true), (0, false), (1, true), (-1, true),
        (0.0, false), (0.5, true), ("", false), ("false", true), ("0", true), ([], false), ([nil], true),
        (.emptyObject, false), (["k": nil], true),
    ]

    @Test(arguments: truthiness)
    func falsyValuesAreNullFalseZeroAndEmpty(value: FlowValue, truthy: Bool) {
        #expect(value.isTruthy == truthy)
    }

    @Test func numericAccessorsConvertBetweenIntegersAndDoubles() {
        #expect(FlowValue.int(7).intValue == 7)
        #expect(FlowValue.double(7.0).intValue == 7)
        #expect(FlowValue.double(7.5).intValue == nil)
        #expect(FlowValue.double(1e19).intValue == nil)
        #expect(FlowValue.string("7").intValue == nil)
        #expect(FlowValue.int(7).doubleValue == 7.0)
        #expect(FlowValue.double(7.5).doubleValue == 7.5)
        #expect(FlowValue.bool(true).doubleValue == nil)
    }

    @Test func payloadAccessorsReturnNilForOtherKinds() {
        let object: FlowValue = ["a": 1]
        #expect(object["a"] == .int(1))
        #expect(object["missing"] == nil)
        #expect(FlowValue.array([1])["a"] == nil)
        #expect(object.objectValue?.keys.elementsEqual(["a"]) == true)
        #expect(object.arrayValue == nil)
        #expect(FlowValue.array([1]).arrayValue == [1])
        #expect(FlowValue.string("s").stringValue == "s")
        #expect(FlowValue.int(1).stringValue == nil)
        #expect(FlowValue.bool(false).boolValue == false)
        #expect(FlowValue.int(0).boolValue == nil)
        #expect(FlowValue.null.isNull)
        #expect(!FlowValue.int(0).isNull)
    }

    @Test func dictionaryLiteralsKeepOrderAndTheLastDuplicate() throws {
        let value: FlowValue = ["b": 1, "a": 2, "b": 3]
        let members = try #require(value.objectValue)
        #expect(Array(members.keys) == ["b", "a"])
        #expect(members["b"] == 3)
    }

    @Test func objectEqualityIsOrderSensitive() {
        let ab: FlowValue = ["a": 1, "b": 2]
        let ba: FlowValue = ["b": 2, "a": 1]
        #expect(ab != ba)
        #expect(ValueComparison.strictlyEqual(ab, ba))
    }

    // MARK: Codable

    static let codableValues: [FlowValue] = [
        .null, true, false, 0, -12, 2.5, "text", [], [1, "a", nil, [true]],
        ["name": "flow", "count": 3, "ratio": 0.5, "tags": ["x", "y"], "meta": ["nested": nil]],
    ]

    @Test(arguments: codableValues)
    func codableRoundTripsThroughFoundationJSON(value: FlowValue) throws {
        let data = try JSONEncoder().encode(value)
        let decoded = try JSONDecoder().decode(FlowValue.self, from: data)
        #expect(ValueComparison.strictlyEqual(decoded, value))
        #expect(decoded.kindName == value.kindName)
    }

    @Test func codableEncodingMatchesJSONTextForScalarsAndArrays() throws {
        let value: FlowValue = [1, "a", nil, true, 2.5]
        let data = try JSONEncoder().encode(value)
        #expect(String(decoding: data, as: UTF8.self) == value.jsonText)
    }

    static let decodedKinds: [(String, FlowValue)] = [
        ("null", .null),
        ("true", .bool(true)),
        ("1", .int(1)),
        ("1.5", .double(1.5)),
        (#""1""#, .string("1")),
        (#""true""#, .string("true")),
    ]

    @Test(arguments: decodedKinds)
    func decodingPicksTheNarrowestKind(json: String, expected: FlowValue) throws {
        let decoded = try JSONDecoder().decode(FlowValue.self, from: Data(json.utf8))
        #expect(decoded == expected)
    }

    @Test func decodingAnObjectKeepsEveryMember() throws {
        let json = #"{"z": 1, "a": [true], "m": {"k": "v"}}"#
        let decoded = try JSONDecoder().decode(FlowValue.self, from: Data(json.utf8))
        let members = try #require(decoded.objectValue)
        #expect(Set(members.keys) == ["z", "a", "m"])
        #expect(members["a"] == [true])
        #expect(members["m"] == ["k": "v"])
    }
}
