import OrderedCollections
import Yams

/// Reads Yams nodes into typed values while collecting diagnostics; the loading stages build on it.
final class YAMLReader {
    let file: String?
    private(set) var diagnostics: [Diagnostic] = []
    /// How many more values may be materialised; guards against alias bombs.
    private var valueBudget: Int

    init(file: String?, valueBudget: Int) {
        self.file = file
        self.valueBudget = valueBudget
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    func location(of node: Node) -> SourceLocation {
        guard let mark = node.mark else { return .start(of: file) }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    func error(_ message: String, at node: Node) {
        diagnostics.append(Diagnostic(.error, message, at: location(of: node)))
    }

    func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.error, message, at: location))
    }

    func warning(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.warning, message, at: location))
    }

    /// A mapping's entries by key, in order, reporting non-string and duplicate keys.
    func entries(of node: Node, what: String) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            error("\(what) must be a mapping, found \(describe(node))", at: node)
            return nil
        }
        var result: [(key: String, keyNode: Node, value: Node)] = []
        var seen: [String: SourceLocation] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                error("keys of \(what) must be plain names", at: keyNode)
                continue
            }
            if let first = seen[scalar.string] {
                error(
                    "duplicate key '\(scalar.string)' in \(what) (first at \(first.line):\(first.column))", at: keyNode)
                continue
            }
            seen[scalar.string] = location(of: keyNode)
            result.append((scalar.string, keyNode, value))
        }
        return result
    }

    /// Reports keys outside `allowed`, suggesting the nearest allowed key.
    func checkKeys(_ entries: [(key: String, keyNode: Node, value: Node)], allowed: [String], in what: String) {
        for entry in entries where !allowed.contains(entry.key) {
            let hint = Suggestions.hint(for: entry.key, in: allowed)
            error(
                "unknown key '\(entry.key)' in \(what).\(hint) Allowed keys: \(allowed.joined(separator: ", "))",
                at: entry.keyNode
            )
        }
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch YAMLScalar.value(of: scalar) {
            case .null: return "null"
            case .string(let text): return "the string '\(text)'"
            case let other: return "the \(other.kindName) \(other.jsonText)"
            }
        }
    }

    /// A non-empty string scalar, or a diagnostic.
    func string(_ node: Node, what: String) -> String? {
        if case .scalar(let scalar) = node, case .string(let text) = YAMLScalar.value(of: scalar), !text.isEmpty {
            return text
        }
        if case .scalar(let scalar) = node, scalar.style == .plain,
            case let value = YAMLScalar.value(of: scalar), value.intValue != nil || value.boolValue != nil
        {
            return scalar.string
        }
        error("\(what) must be a non-empty string, found \(describe(node))", at: node)
        return nil
    }

    func bool(_ node: Node, what: String) -> Bool? {
        if case .scalar(let scalar) = node, case .bool(let value) = YAMLScalar.value(of: scalar) { return value }
        error("\(what) must be true or false, found \(describe(node))", at: node)
        return nil
    }

    func integer(_ node: Node, what: String, minimum: Int) -> Int? {
        if case .scalar(let scalar) = node, let value = YAMLScalar.value(of: scalar).intValue,
            YAMLScalar.value(of: scalar).boolValue == nil
        {
            if value >= minimum { return value }
            error("\(what) must be at least \(minimum), found \(value)", at: node)
            return nil
        }
        error("\(what) must be an integer, found \(describe(node))", at: node)
        return nil
    }

    func number(_ node: Node, what: String, minimum: Double, maximum: Double = .infinity) -> Double? {
        if case .scalar(let scalar) = node, let value = YAMLScalar.value(of: scalar).doubleValue, value.isFinite {
            if value >= minimum && value <= maximum { return value }
            let range = maximum.isFinite ? "between \(minimum) and \(maximum)" : "at least \(minimum)"
            error("\(what) must be \(range), found \(FlowValue.render(value))", at: node)
            return nil
        }
        error("\(what) must be a number, found \(describe(node))", at: node)
        return nil
    }

    /// A duration: a number of seconds, or a string such as `500ms`, `30s`, `5m`, `1h`.
    func duration(_ node: Node, what: String) -> Duration? {
        guard case .scalar(let scalar) = node else {
            error("\(what) must be a duration such as 30, \"30s\", \"500ms\" or \"5m\"", at: node)
            return nil
        }
        let value = YAMLScalar.value(of: scalar)
        if let seconds = value.doubleValue, value.boolValue == nil, seconds.isFinite, seconds > 0 {
            return .milliseconds(Int64((seconds * 1000).rounded()))
        }
        if case .string(let text) = value, let parsed = Self.parseDuration(text), parsed > .zero {
            return parsed
        }
        error(
            "\(what) must be a positive duration such as 30, \"30s\", \"500ms\" or \"5m\", found \(describe(node))",
            at: node)
        return nil
    }

    static func parseDuration(_ text: String) -> Duration? {
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        let trimmed = text.trimmingSpacesString()
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            if let amount = Double(trimmed.dropLast(unit.suffix.count).trimmingSpaces()), amount.isFinite {
                return .milliseconds(Int64((amount * unit.milliseconds).rounded()))
            }
        }
        return nil
    }

    /// The node as a plain value, typed by the YAML 1.2 core schema.
    func value(_ node: Node) -> FlowValue? {
        valueBudget -= 1
        if valueBudget < 0 {
            if valueBudget == -1 {
                error("the document expands to too many values (aliases nested too deeply?)", at: node)
            }
            return nil
        }
        switch node {
        case .scalar(let scalar):
            return YAMLScalar.value(of: scalar)
        case .sequence(let sequence):
            var elements: [FlowValue] = []
            for element in sequence {
                guard let value = value(element) else { return nil }
                elements.append(value)
            }
            return .array(elements)
        case .mapping:
            guard let entries = entries(of: node, what: "a mapping") else { return nil }
            var members = OrderedDictionary<String, FlowValue>()
            for entry in entries {
                guard let value = value(entry.value) else { return nil }
                members[entry.key] = value
            }
            return .object(members)
        case .alias:
            error("unresolved alias", at: node)
            return nil
        }
    }

    /// The node as a template: its value with `${...}` references parsed.
    func template(_ node: Node, what: String) -> ValueTemplate? {
        guard let value = value(node) else { return nil }
        do {
            return try ValueTemplate.parse(value: value)
        } catch {
            var offset = quoteOffset(node)
            if case .scalar(let scalar) = node { offset += scalar.string.scalarOffset(ofCharacterOffset: error.offset) }
            self.error("\(what): \(error.message)", at: location(of: node).advanced(by: offset))
            return nil
        }
    }

    /// Columns between a scalar's mark and its first character.
    func quoteOffset(_ node: Node) -> Int {
        if case .scalar(let scalar) = node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted { return 1 }
        return 0
    }
}

extension String {
    /// Columns count Unicode scalars; expression offsets count characters.
    func scalarOffset(ofCharacterOffset offset: Int) -> Int {
        String(prefix(max(0, offset))).unicodeScalars.count
    }
}
