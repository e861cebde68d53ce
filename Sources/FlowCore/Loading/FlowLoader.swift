import Foundation
import Yams

/// Reads flow YAML into a ``FlowDefinition``: the only place that parses YAML.
///
/// Loading never crashes on bad input: every problem becomes a ``Diagnostic`` with file, line and column,
/// and a document with any error throws ``FlowLoadError`` carrying all of them.
public struct FlowLoader: Sendable {
    /// Documents larger than this are refused.
    public var maxBytes: Int
    /// Nesting deeper than this is refused before parsing.
    public var maxNesting: Int
    /// The most values a document may expand to (aliases included).
    public var maxValues: Int
    /// Whether a flow loaded from an existing file has its `subflow:` calls followed, file by file, to report
    /// calls that come back to a flow already on the chain (see ``SubflowCycles``).
    public var checksSubflowCycles: Bool
    /// The variables `${env.VAR}` and `${VAR}` in `connections:` are read from.
    public var environment: [String: String]
    /// Whether a connection using an unset variable is an error, as servers and `flowlang run` need (they would
    /// connect), or a warning that leaves the connection out, as tools that never connect want (validate,
    /// scaffold, tests with mocked tasks), so they work without the deployment's secrets.
    public var requiresEnvironment: Bool

    /// - Parameter environment: the process environment when nil.
    public init(
        maxBytes: Int = 8 << 20,
        maxNesting: Int = 200,
        maxValues: Int = 500_000,
        checksSubflowCycles: Bool = true,
        environment: [String: String]? = nil,
        requiresEnvironment: Bool = false
    ) {
        self.environment = environment ?? ProcessInfo.processInfo.environment
        self.requiresEnvironment = requiresEnvironment
        self.maxBytes = maxBytes
        self.maxNesting = maxNesting
        self.maxValues = maxValues
        self.checksSubflowCycles = checksSubflowCycles
    }

    /// Loads a flow from YAML text; `file` names it in diagnostics and roots subflow lookup.
    public func load(yaml: String, file: String? = nil) throws(FlowLoadError) -> FlowDefinition {
        let start = SourceLocation.start(of: file)
        if yaml.utf8.count > maxBytes {
            throw FlowLoadError(diagnostics: [
                Diagnostic(.error, "the document is \(yaml.utf8.count) bytes; the limit is \(maxBytes)", at: start)
            ])
        }
        if let deep = NestingScan.firstTooDeep(yaml, limit: maxNesting) {
            throw FlowLoadError(diagnostics: [
                Diagnostic(
                    .error,
                    "the document nests deeper than \(maxNesting) levels; flatten it",
                    at: SourceLocation(file: file, line: deep.line, column: deep.column)
                )
            ])
        }
        let root: Node
        do {
            let parser = try Parser(yaml: yaml, resolver: .basic)
            guard let document = try parser.singleRoot() else {
                throw FlowLoadError(diagnostics: [
                    Diagnostic(.error, "the document is empty; a flow needs at least 'flow:' and 'steps:'", at: start)
                ])
            }
            root = document
        } catch let error as FlowLoadError {
            throw error
        } catch let error as YamlError {
            throw FlowLoadError(diagnostics: [Self.diagnostic(for: error, file: file)])
        } catch {
            throw FlowLoadError(diagnostics: [Diagnostic(.error, "invalid YAML: \(error)", at: start)])
        }
        let reader = YAMLReader(file: file, valueBudget: maxValues)
        let builder = FlowBuilder(reader: reader, environment: environment, requiresEnvironment: requiresEnvironment)
        let flow = builder.build(root, sourcePath: file)
        let diagnostics = reader.diagnostics.sorted {
            ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column)
        }
        guard var flow, !reader.hasErrors else {
            let ordered = diagnostics.filter { $0.severity == .error } + diagnostics.filter { $0.severity == .warning }
            throw FlowLoadError(diagnostics: ordered)
        }
        if checksSubflowCycles, let file, FileManager.default.fileExists(atPath: file) {
            var calledLoader = self
            calledLoader.checksSubflowCycles = false
            var cycles = SubflowCycles(loader: calledLoader)
            let errors = cycles.diagnostics(for: flow, at: file)
            if !errors.isEmpty { throw FlowLoadError(diagnostics: errors + diagnostics) }
        }
        flow.warnings = diagnostics
        return flow
    }

    /// Loads a flow file.
    public func load(contentsOf path: String) throws(FlowLoadError) -> FlowDefinition {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason =
                FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "does not exist"
            throw FlowLoadError(diagnostics: [
                Diagnostic(.error, "the flow file \(reason)", at: .start(of: path))
            ])
        }
        return try load(yaml: text, file: path)
    }

    static func diagnostic(for error: YamlError, file: String?) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return Diagnostic(
                .error,
                "invalid YAML: \(detail); check the indentation and quoting here",
                at: SourceLocation(file: file, line: mark.line, column: mark.column)
            )
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let first = SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
            let repeated = DuplicateKeyScan.repeatedKey(key, after: first, in: context.text) ?? first
            return Diagnostic(
                .error,
                "duplicate key '\(key)' (first at \(first.line):\(first.column)); each key may appear once per mapping",
                at: repeated
            )
        case .reader(let problem, _, _, _):
            return Diagnostic(.error, "the text cannot be read as YAML: \(problem)", at: .start(of: file))
        default:
            return Diagnostic(.error, "invalid YAML: \(error)", at: .start(of: file))
        }
    }
}

/// A cheap pass over the text that finds nesting too deep to parse safely.
enum NestingScan {
    static func firstTooDeep(_ text: String, limit: Int) -> (line: Int, column: Int)? {
        var depth = 0
        var line = 1
        var column = 0
        var lineIndent = 0
        var atLineStart = true
        var quote: UInt8?
        var inComment = false
        for byte in text.utf8 {
            column += 1
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 0
                atLineStart = true
                lineIndent = 0
                inComment = false
                if quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") { continue }
                continue
            }
            if inComment { continue }
            if atLineStart {
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") {
                    lineIndent += 1
                    if lineIndent / 2 > limit { return (line, column) }
                    continue
                }
                atLineStart = false
            }
            if let open = quote {
                if byte == open { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "#"): inComment = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return (line, column) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }
}

/// Finds where a duplicated mapping key appears again, for a diagnostic at the repeat rather than the original.
enum DuplicateKeyScan {
    static func repeatedKey(_ key: String, after first: SourceLocation, in text: String) -> SourceLocation? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard !key.isEmpty, first.line >= 1, first.line <= lines.count else { return nil }
        for lineIndex in (first.line - 1)..<lines.count {
            let scalars = Array(lines[lineIndex].unicodeScalars)
            let start = lineIndex == first.line - 1 ? first.column - 1 + key.unicodeScalars.count : 0
            var column = max(0, start)
            while column < scalars.count {
                if matches(key, in: scalars, at: column) {
                    return SourceLocation(file: first.file, line: lineIndex + 1, column: column + 1)
                }
                column += 1
            }
        }
        return nil
    }

    private static func matches(_ key: String, in scalars: [Unicode.Scalar], at column: Int) -> Bool {
        let keyScalars = Array(key.unicodeScalars)
        guard column + keyScalars.count <= scalars.count,
            Array(scalars[column..<column + keyScalars.count]) == keyScalars
        else {
            return false
        }
        if column > 0, !" \t{,-".unicodeScalars.contains(scalars[column - 1]) { return false }
        var after = column + keyScalars.count
        while after < scalars.count, scalars[after] == " " { after += 1 }
        return after < scalars.count && scalars[after] == ":"
    }
}
