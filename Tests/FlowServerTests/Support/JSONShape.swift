import FlowCore
import OrderedCollections

/// Compares JSON documents by shape: which keys exist and the JSON type of each value, never the values.
///
/// Paths are written `$.flow.name` and `$.executions[0].status`.
enum JSONShape {
    /// The JSON type of a value; integers and doubles are both `number`.
    static func kind(_ value: FlowValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .int, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Every way `actual` lacks `expected`'s shape: keys of `expected` missing from `actual`, or present with
    /// another JSON type. Objects are compared key by key, recursively; arrays by their first elements when
    /// both have one. Extra keys in `actual` are allowed.
    ///
    /// - Parameters:
    ///   - ignoring: paths not compared at all.
    ///   - maps: paths of objects keyed by data (flow names): their first values are compared instead of keys.
    static func differences(
        expected: FlowValue,
        actual: FlowValue,
        path: String = "$",
        ignoring: Set<String> = [],
        maps: Set<String> = []
    ) -> [String] {
        if ignoring.contains(path) { return [] }
        guard kind(expected) == kind(actual) else {
            return ["\(path): expected \(kind(expected)), got \(kind(actual)) (\(actual.jsonText.prefix(120)))"]
        }
        switch (expected, actual) {
        case (.object(let expectedMembers), .object(let actualMembers)):
            if maps.contains(path) {
                guard let first = expectedMembers.values.first, let other = actualMembers.values.first else {
                    return []
                }
                return differences(expected: first, actual: other, path: path + ".*", ignoring: ignoring, maps: maps)
            }
            var found: [String] = []
            for (key, value) in expectedMembers {
                let childPath = "\(path).\(key)"
                if ignoring.contains(childPath) { continue }
                guard let other = actualMembers[key] else {
                    found.append("\(childPath): missing")
                    continue
                }
                found += differences(expected: value, actual: other, path: childPath, ignoring: ignoring, maps: maps)
            }
            return found
        case (.array(let expectedElements), .array(let actualElements)):
            guard let first = expectedElements.first, let other = actualElements.first else { return [] }
            return differences(expected: first, actual: other, path: path + "[0]", ignoring: ignoring, maps: maps)
        default:
            return []
        }
    }
}
