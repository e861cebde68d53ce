package import FlowCore
import OrderedCollections

/// What changed between two runs, field by field: status, error, and each output that changed, appeared or
/// disappeared, addressed by a path such as `order.items[1].price`.
///
/// ```
/// status: completed → failed
/// final_price: 95 → 89.98
/// + discount: 5.02
/// - coupon: "SAVE5"
/// ```
/// Numbers compare by value (`95` equals `95.0`). Outputs are compared only when both runs succeeded; a
/// success turning into a failure shows as the status and error changing.
package struct RunDiff: Sendable, Equatable {
    package enum Change: Sendable, Equatable {
        case status(from: ExecutionResult.Status, to: ExecutionResult.Status)
        /// The failure's message or the exit/cancel reason; `nil` when there was none.
        case message(from: String?, to: String?)
        case changed(path: String, from: FlowValue, to: FlowValue)
        case added(path: String, value: FlowValue)
        case removed(path: String, value: FlowValue)
    }

    package var changes: [Change]

    package init(changes: [Change]) {
        self.changes = changes
    }

    /// The changes from `old` to `new`.
    package init(from old: RunSummary, to new: RunSummary) {
        var changes: [Change] = []
        if old.status != new.status { changes.append(.status(from: old.status, to: new.status)) }
        if old.message != new.message { changes.append(.message(from: old.message, to: new.message)) }
        if old.isSuccess, new.isSuccess { changes += Self.compare(old.outputs, new.outputs, at: "") }
        self.changes = changes
    }

    package var isEmpty: Bool { changes.isEmpty }

    /// One line per change.
    package var lines: [String] { changes.map(\.line) }

    /// The changes between two values, paths starting at `path`.
    package static func compare(_ old: FlowValue, _ new: FlowValue, at path: String) -> [Change] {
        switch (old, new) {
        case (.object(let before), .object(let after)):
            var changes: [Change] = []
            for (key, value) in before {
                let child = Self.path(path, key: key)
                if let now = after[key] {
                    changes += compare(value, now, at: child)
                } else {
                    changes.append(.removed(path: child, value: value))
                }
            }
            for (key, value) in after where before[key] == nil {
                changes.append(.added(path: Self.path(path, key: key), value: value))
            }
            return changes
        case (.array(let before), .array(let after)):
            var changes: [Change] = []
            for index in 0..<max(before.count, after.count) {
                let child = "\(path)[\(index)]"
                switch (index < before.count, index < after.count) {
                case (true, true): changes += compare(before[index], after[index], at: child)
                case (true, false): changes.append(.removed(path: child, value: before[index]))
                default: changes.append(.added(path: child, value: after[index]))
                }
            }
            return changes
        default:
            if let a = old.doubleValue, let b = new.doubleValue, a == b { return [] }
            return old == new ? [] : [.changed(path: path, from: old, to: new)]
        }
    }

    /// `parent.key`, or `parent["odd key"]` when the key is not a plain name.
    static func path(_ parent: String, key: String) -> String {
        let plain = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        if plain { return parent.isEmpty ? key : "\(parent).\(key)" }
        return "\(parent)[\(FlowValue.string(key).jsonText)]"
    }
}

extension RunDiff.Change {
    /// Values longer than this many characters are cut with `…`.
    static let valueLimit = 160

    /// The change as one line: `a.b: old → new`, `+ a.c: value`, `- a.d: value`.
    package var line: String {
        switch self {
        case .status(let from, let to):
            "status: \(from.rawValue) → \(to.rawValue)"
        case .message(let from, let to):
            switch (from, to) {
            case (let from?, let to?): "message: \(Self.text(.string(from))) → \(Self.text(.string(to)))"
            case (nil, let to?): "+ message: \(Self.text(.string(to)))"
            default: "- message: \(Self.text(from.map(FlowValue.string) ?? .null))"
            }
        case .changed(let path, let from, let to):
            "\(Self.label(path)): \(Self.text(from)) → \(Self.text(to))"
        case .added(let path, let value):
            "+ \(Self.label(path)): \(Self.text(value))"
        case .removed(let path, let value):
            "- \(Self.label(path)): \(Self.text(value))"
        }
    }

    private static func label(_ path: String) -> String { path.isEmpty ? "outputs" : path }

    private static func text(_ value: FlowValue) -> String {
        let json = value.jsonText
        return json.count > valueLimit ? String(json.prefix(valueLimit)) + "…" : json
    }
}
