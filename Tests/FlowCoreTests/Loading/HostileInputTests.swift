import FlowCore
import Testing

/// Bad or malicious input is refused with diagnostics: never a crash, never a hang.
@Suite("Hostile input", .timeLimit(.minutes(2)))
struct HostileInputTests {
    /// Loads `yaml`, which must fail, and returns its diagnostics; each must be an error-or-warning with a real position.
    func loadErrors(
        _ yaml: String, file: String? = "hostile.yaml", sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> [Diagnostic] {
        do {
            let flow = try FlowLoader().load(yaml: yaml, file: file)
            Issue.record(
                "expected the document to be refused, but it loaded as '\(flow.name)'", sourceLocation: sourceLocation)
            return []
        } catch {
            #expect(
                !error.errors.isEmpty, "a refused document needs at least one error", sourceLocation: sourceLocation)
            for diagnostic in error.diagnostics {
                #expect(
                    diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "\(diagnostic)",
                    sourceLocation: sourceLocation)
                #expect(diagnostic.location.file == file, sourceLocation: sourceLocation)
            }
            return error.diagnostics
        }
    }

    // MARK: Documents that are not flows

    @Test(arguments: ["", "\n\n", "   ", "# only a comment\n"])
    func emptyDocumentIsAnErrorAtTheStart(yaml: String) {
        let diagnostics = loadErrors(yaml)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("the document is empty") == true)
        #expect(diagnostics.first?.location == FlowCore.SourceLocation(file: "hostile.yaml", line: 1, column: 1))
    }

    @Test(arguments: ["---\n", "---\n...\n", "--- ~\n"])
    func documentWithOnlyAnEmptyNodeIsAnError(yaml: String) {
        let diagnostics = loadErrors(yaml)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.severity == .error)
        #expect((diagnostics.first?.location.line ?? 0) <= 2)
    }

    @Test(arguments: [
        ("- task: Ret\n- task: Other\n", "the flow document must be a mapping, found a list"),
        ("hello flow\n", "the flow document must be a mapping, found the string 'hello flow'"),
        ("42\n", "the flow document must be a mapping, found the integer 42"),
        ("~\n", "the flow document must be a mapping, found null"),
        ("true\n", "the flow document must be a mapping, found the boolean true"),
    ])
    func documentThatIsNotAMappingIsAnError(yaml: String, message: String) {
        let diagnostics = loadErrors(yaml)
        #expect(diagnostics.map(\.message) == [message])
        #expect(diagnostics.first?.location.line == 1)
        #expect(diagnostics.first?.location.column == 1)
    }

    @Test func secondDocumentInTheStreamIsAnError() {
        let diagnostics = loadErrors("flow: A\nsteps: []\n---\nflow: B\nsteps: []\n")
        #expect(diagnostics.count == 1)
    }

    // MARK: YAML syntax

    static let syntaxErrors: [(String, String)] = [
        ("flow: a1️⃣: b\nsteps: []\n", "invalid YAML: mapping values are not allowed"),
        ("flow: F\nsteps:\n1️⃣\t- task: Ret\n", "invalid YAML"),
        ("flow: F\nsteps:\n  - task: Ret\n  1️⃣\t  id: x\n", "invalid YAML"),
        ("flow: F\nsteps: [a, b\n1️⃣", "invalid YAML"),
        ("flow: \"unterminated\nsteps: []\n1️⃣", "invalid YAML"),
        ("flow: F\nsteps:\n  - task: Ret\n 1️⃣- task: Bad\n", "invalid YAML"),
        ("flow: F\nsteps: 1️⃣*missing\n", "invalid YAML"),
    ]

    @Test(arguments: syntaxErrors)
    func invalidYAMLIsAnErrorAtTheParserPosition(marked: String, message: String) {
        let yaml = MarkedYAML(marked)
        let diagnostics = loadErrors(yaml.text)
        #expect(diagnostics.count == 1)
        let position = yaml.position("1️⃣")
        #expect(diagnostics.first?.location.line == position.line, "\(diagnostics)")
        #expect(diagnostics.first?.location.column == position.column, "\(diagnostics)")
        #expect(diagnostics.first?.message.contains(message) == true, "\(diagnostics)")
    }

    @Test func tabIndentationIsRefusedNotMisread() {
        let diagnostics = loadErrors("flow: Tabs\nsteps:\n\t- task: Ret\n\t  id: a\n")
        #expect(diagnostics.first?.location.line == 3)
        #expect(diagnostics.first?.message.contains("invalid YAML") == true)
    }

    // MARK: Size and depth limits

    static let deepDocuments: [(String, String)] = [
        ("brackets", "flow: Deep\nsteps: " + String(repeating: "[", count: 10_000)),
        (
            "balanced brackets",
            "flow: Deep\nsteps: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        ),
        ("braces", "flow: Deep\ntriggers: " + String(repeating: "{a: ", count: 10_000)),
        (
            "block indentation",
            "flow: Deep\ntriggers:\n"
                + (0..<500).map { String(repeating: "  ", count: $0 + 1) + "k\($0):" }.joined(separator: "\n")
        ),
    ]

    @Test(arguments: deepDocuments)
    func deepNestingIsRefusedByTheNestingLimit(shape: String, yaml: String) {
        let diagnostics = loadErrors(yaml)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("nests deeper than 200 levels") == true, "\(diagnostics)")
    }

    @Test func tenThousandBracketsPointAtTheFirstTooDeepOne() {
        let diagnostics = loadErrors("flow: Deep\nsteps: " + String(repeating: "[", count: 10_000))
        #expect(diagnostics.first?.location.line == 2)
        #expect(diagnostics.first?.location.column == "steps: ".count + 201)
    }

    @Test func aFlowWithADeeplyNestedConditionIsRefusedAtTheTooDeepParenthesis() {
        // Found by fuzzing: the YAML nests two levels, the condition 50,000, and parsing it overflowed the stack.
        let condition = String(repeating: "(", count: 50_000) + "${inputs.a}" + String(repeating: ")", count: 50_000)
        let diagnostics = loadErrors("flow: Deep\nsteps:\n  - if: \"\(condition)\"\n    then:\n      - task: Ret\n")
        #expect(diagnostics.count == 1)
        #expect(
            diagnostics.first?.message.hasPrefix(
                "invalid condition '\(condition.prefix(80))…': the condition nests deeper than 100 levels") == true)
        #expect(diagnostics.first?.location.line == 3)
        #expect(diagnostics.first?.location.column == "  - if: \"".count + 101)
    }

    @Test func bracketsInsideQuotesAndCommentsDoNotCountTowardsNesting() throws {
        let brackets = String(repeating: "[", count: 1_000)
        let flow = try FlowLoader().load(
            yaml:
                "flow: Shallow\n# \(brackets)\nsteps:\n  - task: Ret\n    inputs:\n      a: \"\(brackets)\"\n      b: '\(brackets)'\n"
        )
        #expect(flow.steps.first?.asTask?.inputs.shape.contains(brackets) == true)
    }

    @Test func nestingWithinTheLimitLoads() throws {
        let depth = 150
        let flow = try FlowLoader().load(
            yaml: "flow: Nested\ntriggers: " + String(repeating: "[", count: depth)
                + String(repeating: "]", count: depth)
                + "\nsteps: []\n"
        )
        var value = try #require(flow.triggers)
        var levels = 0
        while case .array(let elements) = value, let first = elements.first {
            value = first
            levels += 1
        }
        #expect(levels == depth - 1)
    }

    /// Ten levels of anchors, each a list of ten aliases to the previous level: 10^10 values if expanded.
    static func aliasBomb(under key: String, indent: String) -> String {
        var lines = ["\(indent)l0: &l0 [" + Array(repeating: "lol", count: 10).joined(separator: ", ") + "]"]
        for level in 1..<10 {
            lines.append(
                "\(indent)l\(level): &l\(level) ["
                    + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        return "\(key)\n" + lines.joined(separator: "\n")
    }

    @Test(arguments: [
        "flow: Bomb\n" + aliasBomb(under: "triggers:", indent: "  ") + "\nsteps: []\n",
        "flow: Bomb\nsteps:\n  - task: Ret\n" + aliasBomb(under: "    inputs:", indent: "      ") + "\n",
    ])
    func billionLaughsIsRefusedByTheValueBudget(yaml: String) {
        let diagnostics = loadErrors(yaml)
        #expect(
            diagnostics.contains { $0.message.contains("the document expands to too many values") }, "\(diagnostics)")
        #expect(diagnostics.count == 1, "\(diagnostics)")
    }

    @Test func billionLaughsUnderAConnectionIsNeverExpanded() {
        let diagnostics = loadErrors(
            "flow: Bomb\nconnections:\n" + Self.aliasBomb(under: "  db:", indent: "    ") + "\nsteps: []\n")
        #expect(diagnostics.map(\.message) == ["connection 'db' needs a 'type' (one of postgres, postgresql, sqlite)"])
    }

    @Test func modestAliasUseStillLoads() throws {
        let flow = try FlowLoader().load(
            yaml: """
                flow: Aliases
                triggers:
                  base: &base {retries: 3, tags: [a, b]}
                  copy: *base
                steps:
                  - task: Ret
                    retry: {max_attempts: 2}
                """
        )
        #expect(flow.triggers?["copy"] == flow.triggers?["base"])
        #expect(flow.triggers?["copy"]?["retries"] == 3)
    }

    @Test func documentOverTheSizeLimitIsRefusedBeforeParsing() {
        let padding = String(
            repeating: "# padding line to push the document over the limit\n", count: 9 * (1 << 20) / 52 + 1)
        let yaml = "flow: Huge\nsteps:\n  - task: Ret\n" + padding
        #expect(yaml.utf8.count > 9_000_000)
        let diagnostics = loadErrors(yaml)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("the limit is \(8 << 20)") == true, "\(diagnostics)")
        #expect(diagnostics.first?.location == FlowCore.SourceLocation(file: "hostile.yaml", line: 1, column: 1))
    }

    @Test(arguments: [
        (
            FlowLoader(maxBytes: 64), "flow: F\nsteps: []\ndescription: " + String(repeating: "x", count: 100),
            "the limit is 64"
        ),
        (FlowLoader(maxNesting: 3), "flow: F\nsteps: []\ntriggers: [[[[1]]]]", "nests deeper than 3 levels"),
        (
            FlowLoader(maxValues: 10), "flow: F\nsteps: []\ntriggers: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]",
            "too many values"
        ),
    ])
    func limitsAreConfigurable(loader: FlowLoader, yaml: String, message: String) {
        #expect((try? FlowLoader().load(yaml: yaml)) != nil, "the default limits accept the document")
        do {
            _ = try loader.load(yaml: yaml)
            Issue.record("expected the loader's limit to refuse the document")
        } catch {
            #expect(error.diagnostics.map(\.message).contains { $0.contains(message) }, "\(error)")
        }
    }

    // MARK: Bytes that are not text

    /// Deterministic pseudo-random bytes.
    static func garbage(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func binaryGarbageIsRefusedWithoutCrashing(seed: UInt64) {
        let text = String(decoding: Self.garbage(count: 4096, seed: seed), as: UTF8.self)
        let diagnostics = loadErrors(text)
        #expect(!diagnostics.isEmpty)
    }

    @Test func garbageAfterAValidPrefixIsRefused() {
        let bytes = Array("flow: F\nsteps:\n  - task: Ret\n".utf8) + Self.garbage(count: 512, seed: 99)
        let diagnostics = loadErrors(String(decoding: bytes, as: UTF8.self))
        #expect(!diagnostics.isEmpty)
    }

    @Test func nulAndControlCharactersAreRefused() {
        let diagnostics = loadErrors("flow: F\u{0}\nsteps:\n  - task: R\u{1}et\n")
        #expect(!diagnostics.isEmpty)
    }

    @Test func invalidUTF8DecodesToReplacementCharacters() throws {
        let bytes =
            Array("flow: Caf".utf8) + [0xC3] + Array("\nsteps:\n  - task: B".utf8) + [0xFF, 0xFE] + Array("ad\n".utf8)
        let flow = try FlowLoader().load(yaml: String(decoding: bytes, as: UTF8.self))
        #expect(flow.name == "Caf\u{FFFD}")
        #expect(flow.steps.first?.asTask?.task == "B\u{FFFD}\u{FFFD}ad")
    }

    // MARK: Unicode

    @Test func unicodeNamesIdsAndEmojiLoad() throws {
        let flow = try FlowLoader().load(
            yaml: """
                flow: Überweisung 💸
                description: "naïve café — 日本語 👨‍👩‍👧"
                inputs:
                  - name: empfänger
                steps:
                  - task: Grüßen
                    id: 挨拶
                    inputs:
                      text: "héllo 👋🏽 ${inputs.empfänger}"
                  - task: 📨
                    id: sent
                    inputs:
                      body: ${挨拶.text}
                    if: ${挨拶.ok} == "✅"
                """
        )
        #expect(flow.name == "Überweisung 💸")
        #expect(flow.description == "naïve café — 日本語 👨‍👩‍👧")
        #expect(flow.inputs.map(\.name) == ["empfänger"])
        #expect(flow.steps.map(\.id) == ["挨拶", "sent"])
        #expect(flow.steps.last?.asTask?.task == "📨")
        #expect(flow.steps.last?.asTask?.inputs.shape == "{body:${挨拶.text}}")
        #expect(flow.steps.last?.asTask?.condition?.shape == #"(== ${挨拶.ok} "✅")"#)
        #expect(flow.referencedTaskNames == ["Grüßen", "📨"])
        #expect(flow.warnings.isEmpty)
    }

    @Test func columnsAfterEmojiCountUnicodeScalars() {
        // 👨‍👩‍👧 is one character but five scalars; 👋🏽 is two scalars.
        let yaml = MarkedYAML(
            """
            flow: Columns
            steps:
              - {task: "👨‍👩‍👧👋🏽", 1️⃣idd: x}
              - if: "👋🏽 == 👋🏽 2️⃣= 1"
                then: []
            """
        )
        expectLoadErrors(
            yaml,
            [
                "1️⃣": "unknown key 'idd' in a task step. Did you mean 'id'?",
                "2️⃣": "single '=' is not an operator",
            ]
        )
        #expect(yaml.position("1️⃣").column == 23)
    }

    @Test func unknownReferenceToAUnicodeIdSuggestsIt() {
        let yaml = MarkedYAML(
            """
            flow: Unicode
            steps:
              - task: Ret
                id: größe
              - if: 1️⃣${grösse} > 1
                then: []
            """
        )
        expectLoadErrors(yaml, ["1️⃣": "Did you mean 'größe'?"])
    }
}
