import FlowCore
import Testing

/// YAML written with swift-format-style position markers (`1️⃣` … `9️⃣`, `0️⃣`, `🔟`) where diagnostics should point.
///
/// The markers are stripped to get ``text``; each marker's position is the 1-based line and 1-based column
/// (counted in Unicode scalars, as ``FlowCore/SourceLocation`` counts them) of the character that followed it.
///
/// ```swift
/// let yaml = MarkedYAML("""
///     flow: F
///     steps:
///       - 1️⃣tsk: Ret
///     """)
/// expectLoadErrors(yaml, ["1️⃣": "Did you mean 'task'?"])
/// ```
struct MarkedYAML: CustomStringConvertible {
    /// The YAML with every marker removed.
    let text: String
    /// Each marker's 1-based line and column in ``text``.
    let markers: [String: (line: Int, column: Int)]

    init(_ marked: String) {
        let input = Array(marked.unicodeScalars)
        var output = String.UnicodeScalarView()
        var markers: [String: (line: Int, column: Int)] = [:]
        var line = 1
        var column = 1
        var index = 0
        while index < input.count {
            if let (marker, length) = Self.marker(at: index, in: input) {
                precondition(markers[marker] == nil, "marker \(marker) is used twice")
                markers[marker] = (line, column)
                index += length
                continue
            }
            let scalar = input[index]
            output.append(scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        self.text = String(output)
        self.markers = markers
    }

    /// A keycap digit (`digit`, U+FE0F, U+20E3) or `🔟`, with its length in scalars.
    private static func marker(at index: Int, in scalars: [Unicode.Scalar]) -> (String, Int)? {
        let scalar = scalars[index]
        if scalar == "\u{1F51F}" { return ("🔟", 1) }
        guard ("0"..."9").contains(scalar), index + 2 < scalars.count,
            scalars[index + 1] == "\u{FE0F}", scalars[index + 2] == "\u{20E3}"
        else { return nil }
        var marker = String.UnicodeScalarView()
        marker.append(contentsOf: scalars[index...(index + 2)])
        return (String(marker), 3)
    }

    /// The marker's line and column; records an issue and returns (0, 0) for an unknown marker.
    func position(_ marker: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> (
        line: Int, column: Int
    ) {
        guard let position = markers[marker] else {
            Issue.record("marker \(marker) does not occur in the YAML", sourceLocation: sourceLocation)
            return (0, 0)
        }
        return position
    }

    /// The marker's location in `file`.
    func location(
        _ marker: String,
        file: String? = nil,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> FlowCore.SourceLocation {
        let position = position(marker, sourceLocation: sourceLocation)
        return FlowCore.SourceLocation(file: file, line: position.line, column: position.column)
    }

    /// `line:column` of the marker, as messages that cite another position spell it.
    func lineColumn(_ marker: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
        let position = position(marker, sourceLocation: sourceLocation)
        return "\(position.line):\(position.column)"
    }

    var description: String { text }
}

extension MarkedYAML: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self.init(value) }
}

/// The file name the diagnostic helpers load YAML under, so every location must carry it.
let markedYAMLFile = "flow.yaml"

/// Loads `yaml`, which must fail, and checks its errors against `expected` (marker → message fragment).
///
/// Each expected pair must match a distinct error at exactly the marker's line and column whose message
/// contains the fragment; with `exhaustive` (the default) no other error may be reported. Warnings are ignored.
/// Returns every diagnostic so callers can check more.
@discardableResult
func expectLoadErrors(
    _ yaml: MarkedYAML,
    _ expected: KeyValuePairs<String, String>,
    exhaustive: Bool = true,
    loader: FlowLoader = FlowLoader(),
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> [Diagnostic] {
    let diagnostics: [Diagnostic]
    do {
        let flow = try loader.load(yaml: yaml.text, file: markedYAMLFile)
        Issue.record(
            "expected the flow to fail to load, but it loaded with warnings: \(flow.warnings)",
            sourceLocation: sourceLocation
        )
        return flow.warnings
    } catch {
        diagnostics = error.diagnostics
    }
    expectDiagnostics(
        diagnostics,
        severity: .error,
        in: yaml,
        expected,
        exhaustive: exhaustive,
        sourceLocation: sourceLocation
    )
    return diagnostics
}

/// Loads `yaml`, which must succeed, and checks its warnings against `expected` (marker → message fragment).
@discardableResult
func expectLoadWarnings(
    _ yaml: MarkedYAML,
    _ expected: KeyValuePairs<String, String>,
    exhaustive: Bool = true,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> FlowDefinition? {
    do {
        let flow = try FlowLoader().load(yaml: yaml.text, file: markedYAMLFile)
        expectDiagnostics(
            flow.warnings,
            severity: .warning,
            in: yaml,
            expected,
            exhaustive: exhaustive,
            sourceLocation: sourceLocation
        )
        return flow
    } catch {
        Issue.record("expected the flow to load, but it failed:\n\(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Checks `diagnostics` of `severity` against `expected` (marker → message fragment); see ``expectLoadErrors``.
func expectDiagnostics(
    _ diagnostics: [Diagnostic],
    severity: Diagnostic.Severity,
    in yaml: MarkedYAML,
    _ expected: KeyValuePairs<String, String>,
    exhaustive: Bool = true,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    var unmatched = diagnostics.filter { $0.severity == severity }
    let listing = diagnostics.isEmpty ? "  (none)" : diagnostics.map { "  \($0)" }.joined(separator: "\n")
    for (marker, fragment) in expected {
        let location = yaml.location(marker, file: markedYAMLFile, sourceLocation: sourceLocation)
        if let index = unmatched.firstIndex(where: { $0.location == location && $0.message.contains(fragment) }) {
            unmatched.remove(at: index)
            continue
        }
        Issue.record(
            "expected \(severity.rawValue) at \(marker) (\(location)) containing \"\(fragment)\"; diagnostics:\n\(listing)",
            sourceLocation: sourceLocation
        )
    }
    if exhaustive && !unmatched.isEmpty {
        let extra = unmatched.map { "  \($0)" }.joined(separator: "\n")
        Issue.record(
            "unexpected \(severity.rawValue)(s):\n\(extra)",
            sourceLocation: sourceLocation
        )
    }
}

/// Loads `yaml` under ``markedYAMLFile``.
func loadMarked(_ yaml: MarkedYAML) throws -> FlowDefinition {
    try FlowLoader().load(yaml: yaml.text, file: markedYAMLFile)
}

// MARK: - Step accessors

extension Step {
    var asTask: TaskStep? {
        if case .task(let step) = self { return step }
        return nil
    }

    var asParallel: ParallelStep? {
        if case .parallel(let step) = self { return step }
        return nil
    }

    var asConditional: ConditionalStep? {
        if case .conditional(let step) = self { return step }
        return nil
    }

    var asSwitch: SwitchStep? {
        if case .switchCase(let step) = self { return step }
        return nil
    }

    var asForEach: ForEachStep? {
        if case .forEach(let step) = self { return step }
        return nil
    }

    var asSubflow: SubflowStep? {
        if case .subflow(let step) = self { return step }
        return nil
    }

    var asExit: ExitStep? {
        if case .exit(let step) = self { return step }
        return nil
    }
}

extension Condition {
    /// The parsed expression's shape (see ``Expression/shape``), or a description of the other forms.
    var shape: String {
        switch self {
        case .constant(let value): "const(\(value))"
        case .expression(let expression, _): expression.shape
        case .any(let conditions): "any(\(conditions.map(\.shape).joined(separator: ",")))"
        case .all(let conditions): "all(\(conditions.map(\.shape).joined(separator: ",")))"
        case .none(let conditions): "none(\(conditions.map(\.shape).joined(separator: ",")))"
        }
    }
}
