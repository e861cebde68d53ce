import FlowCore
import Testing

struct TemplateResolutionTests {
    static let scope = DictionaryScope([
        "e": [
            "a": 1,
            "t": true,
            "m": ["k": "v"],
            "d": 5.0,
            "h": 1.5,
            "n": nil,
            "arr": [1, "a"],
            "s": "text",
            "empty": "",
        ],
        "a": 3,
        "inputs": ["a": "A", "list": [10, 20, 30], "count": 2],
        "list": ["first", "second", "last"],
        "obj": ["x": 1, "y": 2, "0": "zero"],
        "withLength": ["length": "own key", "other": 1],
        "word": "héllo",
        "steps": ["fetch": ["output": ["items": [["name": "alpha"], ["name": "beta"]]]]],
        "num": 42,
    ])

    func resolve(_ text: String) throws -> FlowValue {
        try ValueTemplate.parse(string: text).resolve(in: Self.scope)
    }

    // MARK: Interpolation

    @Test func interpolationRendersValuesAsJSON() throws {
        #expect(try resolve("a=${e.a} t=${e.t} m=${e.m}") == #"a=1 t=true m={"k":"v"}"#)
    }

    static let interpolations: [(String, String)] = [
        ("d=${e.d}", "d=5"),
        ("h=${e.h}", "h=1.5"),
        ("n=${e.n}", "n=null"),
        ("arr=${e.arr}", #"arr=[1,"a"]"#),
        ("s=${e.s}", "s=text"),
        ("[${e.empty}]", "[]"),
        (" ${e.a}", " 1"),
        ("${e.a} ", "1 "),
        ("${a}${a}", "33"),
        ("${e.s}-${e.a}-${e.t}", "text-1-true"),
        ("${} and ${a}", "${} and 3"),
        ("cost: $5, n=${a}", "cost: $5, n=3"),
        ("${ e.a }/${e.a}", "1/1"),
    ]

    @Test(arguments: interpolations)
    func interpolationProducesAString(template: String, expected: String) throws {
        #expect(try resolve(template) == .string(expected))
    }

    static let wholeReferences: [(String, FlowValue)] = [
        ("${e.m}", ["k": "v"]),
        ("${e.arr}", [1, "a"]),
        ("${e.a}", 1),
        ("${e.d}", 5.0),
        ("${e.h}", 1.5),
        ("${e.t}", true),
        ("${e.n}", nil),
        ("${e.s}", "text"),
        ("${ e.m }", ["k": "v"]),
        (
            "${e}",
            [
                "a": 1, "t": true, "m": ["k": "v"], "d": 5.0, "h": 1.5, "n": nil, "arr": [1, "a"], "s": "text",
                "empty": "",
            ]
        ),
    ]

    @Test(arguments: wholeReferences)
    func aStringThatIsExactlyOneReferenceKeepsTheValuesType(template: String, expected: FlowValue) throws {
        let value = try resolve(template)
        #expect(value == expected)
        #expect(value.kindName == expected.kindName)
    }

    @Test(arguments: ["${}", "$5 and ${x", "${x", "$", "${", "}"])
    func incompleteReferencesStayLiteralText(text: String) throws {
        #expect(try resolve(text) == .string(text))
    }

    // MARK: Paths

    static let paths: [(String, FlowValue)] = [
        ("${list.0}", "first"),
        ("${list[0]}", "first"),
        ("${list.2}", "last"),
        ("${list[-1]}", "last"),
        ("${list[-3]}", "first"),
        ("${list.-1}", "last"),
        ("${list.length}", 3),
        ("${list[\"length\"]}", 3),
        ("${obj.length}", 3),
        ("${withLength.length}", "own key"),
        ("${word.length}", 5),
        ("${e.empty.length}", 0),
        ("${e.m.length}", 1),
        ("${obj[0]}", "zero"),
        ("${obj.0}", "zero"),
        ("${obj['x']}", 1),
        ("${inputs.list[1]}", 20),
        ("${inputs.list.length}", 3),
        ("${steps.fetch.output.items[1].name}", "beta"),
        ("${steps.fetch.output.items[-1].name.length}", 4),
        ("${ inputs.a }", "A"),
        ("${inputs.a}", "A"),
    ]

    @Test(arguments: paths)
    func pathsWalkObjectsArraysAndLengths(template: String, expected: FlowValue) throws {
        #expect(try resolve(template) == expected)
    }

    @Test func spacesInsideTheBracesDoNotChangeTheReference() throws {
        let spaced = try ValueTemplate.parse(string: "${ inputs.a }")
        let tight = try ValueTemplate.parse(string: "${inputs.a}")
        #expect(spaced.references == tight.references)
        #expect(try spaced.resolve(in: Self.scope) == tight.resolve(in: Self.scope))
    }

    // MARK: Containers

    @Test func containerTemplatesResolveEveryMemberInOrder() throws {
        let value: FlowValue = [
            "name": "${inputs.a}",
            "items": ["${inputs.list[0]}", "n=${inputs.count}", 7],
            "nested": ["whole": "${e.m}"],
        ]
        let resolved = try ValueTemplate.parse(value: value).resolve(in: Self.scope)
        #expect(resolved == ["name": "A", "items": [10, "n=2", 7], "nested": ["whole": ["k": "v"]]])
        #expect(resolved.jsonText == #"{"name":"A","items":[10,"n=2",7],"nested":{"whole":{"k":"v"}}}"#)
    }

    // MARK: Errors

    func resolutionError(_ text: String) throws -> ResolutionError? {
        let template = try ValueTemplate.parse(string: text)
        return #expect(throws: ResolutionError.self) { try template.resolve(in: Self.scope) }
    }

    @Test func anUnknownRootNamesTheReferenceAndTheRoot() throws {
        let error = try #require(try resolutionError("${nope.a}"))
        #expect(error.reference == "${nope.a}")
        #expect(error.message.contains("${nope.a}"))
        #expect(error.message.contains("'nope'"))
        #expect(error.description == error.message)
    }

    @Test func aMissingKeyNamesTheKeyAndWhereItWasLookedFor() throws {
        let error = try #require(try resolutionError("${inputs.missing}"))
        #expect(error.reference == "${inputs.missing}")
        #expect(error.message.contains("'missing'"))
        #expect(error.message.contains("${inputs}"))
    }

    @Test func aMissingNestedKeyNamesThePrefixThatLacksIt() throws {
        let error = try #require(try resolutionError("${steps.fetch.output.nope.deeper}"))
        #expect(error.message.contains("${steps.fetch.output} has no key 'nope'"))
    }

    static let outOfRange: [(String, String)] = [
        ("${list[3]}", "index 3"),
        ("${list.5}", "index 5"),
        ("${list[-4]}", "index -4"),
    ]

    @Test(arguments: outOfRange)
    func anOutOfRangeIndexSaysSoAndGivesTheCount(template: String, index: String) throws {
        let error = try #require(try resolutionError(template))
        #expect(error.message.contains("\(index) is out of range"))
        #expect(error.message.contains("3 element"))
        #expect(error.message.contains("${list}"))
    }

    static let wrongKinds: [(String, String)] = [
        ("${num.a}", "cannot read 'a' of ${num}, which is integer"),
        ("${num[0]}", "cannot read [0] of ${num}, which is integer"),
        ("${e.t.x}", "cannot read 'x' of ${e.t}, which is boolean"),
        ("${e.n.x}", "cannot read 'x' of ${e.n}, which is null"),
        ("${e.s.x}", "cannot read 'x' of ${e.s}, which is string"),
        ("${num.length}", "cannot read 'length' of ${num}, which is integer"),
    ]

    @Test(arguments: wrongKinds)
    func readingIntoAScalarSaysWhatKindItIs(template: String, message: String) throws {
        let error = try #require(try resolutionError(template))
        #expect(error.message.contains(message))
    }

    @Test func aNonNumericKeyOnAnArrayIsNotAnIndex() throws {
        let error = try #require(try resolutionError("${list.first}"))
        #expect(error.message.contains("${list} is an array; 'first' is not an index"))
    }

    @Test func aMissingNumericKeyOnAnObjectSaysItIsAnObject() throws {
        let error = try #require(try resolutionError("${obj[7]}"))
        #expect(error.message.contains("${obj} is an object and has no key '7'"))
    }

    @Test func errorsInsideInterpolationsPropagate() throws {
        let error = try #require(try resolutionError("value: ${inputs.missing}!"))
        #expect(error.reference == "${inputs.missing}")
    }
}
