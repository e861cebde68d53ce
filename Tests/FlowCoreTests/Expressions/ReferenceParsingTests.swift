import FlowCore
import Testing

struct ReferenceParsingTests {
    // MARK: Reference.parse

    static let wellFormed: [(String, String, [Reference.Component])] = [
        ("inputs", "inputs", []),
        ("inputs.a", "inputs", [.key("a")]),
        ("fetch.output.items[0].name", "fetch", [.key("output"), .key("items"), .index(0), .key("name")]),
        ("list[-1]", "list", [.index(-1)]),
        ("list.0", "list", [.key("0")]),
        ("list.length", "list", [.key("length")]),
        ("m[0][1]", "m", [.index(0), .index(1)]),
        ("m[ 2 ]", "m", [.index(2)]),
        (#"a["b c"]"#, "a", [.key("b c")]),
        ("a['x.y']", "a", [.key("x.y")]),
        (#"a["0"]"#, "a", [.key("0")]),
        (" inputs.a ", "inputs", [.key("a")]),
        ("\tinputs.a\n", "inputs", [.key("a")]),
        ("step-1.out_put", "step-1", [.key("out_put")]),
    ]

    @Test(arguments: wellFormed)
    func referencesSplitIntoARootAndAPath(text: String, root: String, path: [Reference.Component]) throws {
        let reference = try Reference.parse(text[...])
        #expect(reference.root == root)
        #expect(reference.path == path)
        #expect(reference == Reference(root: root, path: path))
    }

    static let normalised: [(String, String)] = [
        ("inputs", "${inputs}"),
        (" inputs.a ", "${inputs.a}"),
        ("a.b[0].c", "${a.b[0].c}"),
        ("list[ -1 ]", "${list[-1]}"),
        (#"a["k"]"#, "${a.k}"),
    ]

    @Test(arguments: normalised)
    func descriptionsAreNormalised(text: String, expected: String) throws {
        let reference = try Reference.parse(text[...])
        #expect(reference.description == expected)
        #expect("${\(reference.pathText)}" == expected)
    }

    static let malformed: [(String, Int, String)] = [
        ("", 0, "empty reference"),
        ("   ", 0, "empty reference"),
        (".a", 0, "empty path segment"),
        ("a..b", 2, "empty path segment"),
        ("a.", 2, "empty path segment"),
        ("a[", 1, "missing ']'"),
        ("a[x]", 1, "must be an integer or a quoted key"),
        ("a[]", 1, "must be an integer or a quoted key"),
        ("a[1.5]", 1, "must be an integer or a quoted key"),
        ("a[0]b", 4, "expected '.' or '['"),
        ("a.b[0]c", 6, "expected '.' or '['"),
        ("[0]", 0, "empty path segment"),
    ]

    @Test(arguments: malformed)
    func malformedReferencesReportTheOffsetOfTheProblem(text: String, offset: Int, message: String) {
        let error = #expect(throws: ExpressionSyntaxError.self) { try Reference.parse(text[...]) }
        #expect(error?.offset == offset)
        #expect(error?.message.contains(message) == true)
    }

    // MARK: ValueTemplate.parse(string:)

    static let templateShapes: [(String, String)] = [
        ("no references", #""no references""#),
        ("", #""""#),
        ("${inputs.a}", "${inputs.a}"),
        ("${ inputs.a }", "${inputs.a}"),
        ("${list[0]}", "${list[0]}"),
        (" ${e.a}", #"interp(" ",${e.a})"#),
        ("${e.a} ", #"interp(${e.a}," ")"#),
        ("a=${e.a} t=${e.t}", #"interp("a=",${e.a}," t=",${e.t})"#),
        ("${a}${a}", "interp(${a},${a})"),
        ("${}", #""${}""#),
        ("${  }", #""${  }""#),
        ("$5 and ${x", #""$5 and ${x""#),
        ("price: $5", #""price: $5""#),
        ("{not a ref}", #""{not a ref}""#),
        ("${} then ${a}", #"interp("${} then ",${a})"#),
        ("$${a}", #"interp("$",${a})"#),
    ]

    @Test(arguments: templateShapes)
    func stringsBecomeLiteralsReferencesOrInterpolations(text: String, shape: String) throws {
        #expect(try ValueTemplate.parse(string: text).shape == shape)
    }

    @Test func aStringThatIsExactlyOneReferenceIsAReferenceTemplate() throws {
        let template = try ValueTemplate.parse(string: "${steps.fetch.output}")
        guard case .reference(let reference) = template else {
            Issue.record("expected a reference template, got \(template.shape)")
            return
        }
        #expect(reference == Reference(root: "steps", path: [.key("fetch"), .key("output")]))
        #expect(!template.isLiteral)
    }

    @Test(arguments: ["${}", "$5 and ${x", "plain"])
    func stringsWithoutCompleteReferencesStayLiteral(text: String) throws {
        let template = try ValueTemplate.parse(string: text)
        #expect(template.isLiteral)
        #expect(template.references.isEmpty)
        #expect(try template.resolve(in: DictionaryScope()) == .string(text))
    }

    @Test func referencesAreListedInReadingOrder() throws {
        let template = try ValueTemplate.parse(string: "${b.x} and ${a[1]} and ${b.x}")
        #expect(template.references.map(\.description) == ["${b.x}", "${a[1]}", "${b.x}"])
    }

    static let templateErrors: [(String, Int)] = [
        ("${a..b}", 4),
        ("x ${a..b}", 6),
        ("${ok} ${a[x]}", 9),
        ("€ ${a.}", 6),
    ]

    @Test(arguments: templateErrors)
    func templateErrorsPointIntoTheWholeString(text: String, offset: Int) {
        let error = #expect(throws: ExpressionSyntaxError.self) { try ValueTemplate.parse(string: text) }
        #expect(error?.offset == offset)
    }

    @Test func templateErrorOffsetsAccountForSpacesInsideTheBraces() {
        // "${  a..b}": the second '.' is at character 6.
        let error = #expect(throws: ExpressionSyntaxError.self) { try ValueTemplate.parse(string: "${  a..b}") }
        #expect(error?.offset == 6)
    }

    // MARK: ValueTemplate.parse(value:)

    @Test func valuesWithoutReferencesStayLiteralAsAWhole() throws {
        let value: FlowValue = ["a": [1, "two", nil], "b": ["c": true], "${key}": "x"]
        let template = try ValueTemplate.parse(value: value)
        guard case .literal(let literal) = template else {
            Issue.record("expected a literal, got \(template.shape)")
            return
        }
        #expect(literal == value)
    }

    @Test func referencesInsideContainersAreFoundButKeysAreNotTemplates() throws {
        let value: FlowValue = [
            "${key}": "${inputs.a}",
            "list": [1, "n=${inputs.n}", ["deep": "${inputs.d}"]],
            "fixed": 3,
        ]
        let template = try ValueTemplate.parse(value: value)
        #expect(template.shape == #"{${key}:${inputs.a},list:[1,interp("n=",${inputs.n}),{deep:${inputs.d}}],fixed:3}"#)
        #expect(template.references.map(\.description) == ["${inputs.a}", "${inputs.n}", "${inputs.d}"])
    }

    @Test(arguments: [FlowValue.null, true, 3, 2.5])
    func scalarsOtherThanStringsAreLiterals(value: FlowValue) throws {
        let template = try ValueTemplate.parse(value: value)
        #expect(template.isLiteral)
        #expect(try template.resolve(in: DictionaryScope()) == value)
    }

    @Test func errorsInsideContainersPropagate() {
        let value: FlowValue = ["ok": "${a}", "bad": ["${a..b}"]]
        let error = #expect(throws: ExpressionSyntaxError.self) { try ValueTemplate.parse(value: value) }
        #expect(error?.message.contains("empty path segment") == true)
    }
}
