package import FlowCore
import OrderedCollections

/// What a flow reveals about a value it reads: the fields it reads, whether it iterates or measures it, and
/// literals it compares it with.
///
/// Built from every reference in the flow by ``FlowAnalysis``; rendered into mock task results (so a flow
/// with every task mocked runs), sample inputs, and the types of generated `Output` fields.
package struct Shape: Sendable, Equatable {
    /// What the flow does with the value itself.
    package enum Evidence: Sendable, Equatable {
        /// Only passed along: nothing is known about it.
        case none
        /// Compared with this literal (a switch case, `== 3`, `in [a, b]`).
        case literal(FlowValue)
        /// Compared with literals of different kinds.
        case mixed(FlowValue)
    }

    package var evidence: Evidence = .none
    /// Fields read with `.name`, in first-read order.
    package var keys: [String] = []
    package var members: [String: Shape] = [:]
    /// Iterated, indexed or measured (`for_each`, `[0]`, `length`, `in`).
    package var isArray = false
    /// What one element looks like, when elements are read.
    package var element: Box?

    package init() {}

    /// Indirection for the recursive element shape.
    package final class Box: Sendable, Equatable {
        package let shape: Shape
        init(_ shape: Shape) { self.shape = shape }
        package static func == (lhs: Box, rhs: Box) -> Bool { lhs.shape == rhs.shape }
    }

    /// Whether nothing at all is known.
    package var isEmpty: Bool { evidence == .none && keys.isEmpty && !isArray && element == nil }

    /// One step into a value.
    enum PathStep: Equatable {
        case key(String)
        case element
    }

    mutating func record(_ path: ArraySlice<PathStep>, _ evidence: Evidence) {
        guard let first = path.first else {
            absorb(evidence)
            return
        }
        switch first {
        case .key(let key):
            if members[key] == nil { keys.append(key) }
            var member = members[key] ?? Shape()
            member.record(path.dropFirst(), evidence)
            members[key] = member
        case .element:
            isArray = true
            var inner = element?.shape ?? Shape()
            inner.record(path.dropFirst(), evidence)
            element = Box(inner)
        }
    }

    mutating func markArray(_ path: ArraySlice<PathStep>) {
        guard let first = path.first else {
            isArray = true
            return
        }
        switch first {
        case .key(let key):
            if members[key] == nil { keys.append(key) }
            var member = members[key] ?? Shape()
            member.markArray(path.dropFirst())
            members[key] = member
        case .element:
            isArray = true
            var inner = element?.shape ?? Shape()
            inner.markArray(path.dropFirst())
            element = Box(inner)
        }
    }

    private mutating func absorb(_ new: Evidence) {
        switch (evidence, new) {
        case (_, .none): break
        case (.none, _): evidence = new
        case (.literal(let old), .literal(let value)):
            if old.kindName == value.kindName { break }
            if old.doubleValue != nil, value.doubleValue != nil {
                evidence = .literal(.double(old.doubleValue ?? 0))
            } else {
                evidence = .mixed(old)
            }
        default: break
        }
    }

    /// A value with this shape: objects with every field read, one element for arrays whose elements are
    /// read, literals chosen from comparisons and conditions, and `fallback(key)` for values nothing is known about.
    package func render(key: String, fallback: (String) -> FlowValue) -> FlowValue {
        if !keys.isEmpty {
            var object: FlowValue = .emptyObject
            for member in keys {
                object = object.setting(member, members[member]?.render(key: member, fallback: fallback) ?? .null)
            }
            return object
        }
        if isArray || element != nil {
            guard let element else { return .array([]) }
            return .array([element.shape.render(key: key, fallback: fallback)])
        }
        switch evidence {
        case .none: return fallback(key)
        case .literal(let value), .mixed(let value): return value
        }
    }

    /// The Swift type a field of this shape gets in a generated `Output`.
    var swiftType: SwiftType {
        if !keys.isEmpty { return .flowValue }
        if isArray || element != nil { return .array(.flowValue) }
        switch evidence {
        case .literal(.bool): return .bool
        case .literal(.int): return .int
        case .literal(.double): return .double
        case .literal(.string): return .string
        default: return .flowValue
        }
    }
}

extension FlowValue {
    /// The object with `key` set to `value` (appended when new).
    func setting(_ key: String, _ value: FlowValue) -> FlowValue {
        guard case .object(var members) = self else { return self }
        members[key] = value
        return .object(members)
    }
}
