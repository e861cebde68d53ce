import FlowCore
import OrderedCollections

/// Equality as test assertions use it: numbers by value (`1 == 1.0`), objects regardless of key order,
/// everything else exactly (booleans never equal numbers, strings never equal numbers).
enum FlowValueMatching {
    static func equal(_ actual: FlowValue, _ expected: FlowValue) -> Bool {
        switch (actual, expected) {
        case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
            return actual.doubleValue == expected.doubleValue
        case (.array(let actual), .array(let expected)):
            return actual.count == expected.count && zip(actual, expected).allSatisfy { equal($0, $1) }
        case (.object(let actual), .object(let expected)):
            return actual.count == expected.count
                && expected.allSatisfy { key, value in actual[key].map { equal($0, value) } ?? false }
        default:
            return actual == expected
        }
    }

    /// Whether `inputs` is an object holding every key of `expected` with an equal value.
    static func contains(_ inputs: FlowValue, _ expected: [String: FlowValue]) -> Bool {
        expected.allSatisfy { key, value in inputs[key].map { equal($0, value) } ?? false }
    }

    /// `expected` as compact JSON with keys sorted, for messages.
    static func render(_ expected: [String: FlowValue]) -> String {
        let sorted = expected.sorted { $0.key < $1.key }
        return FlowValue.object(OrderedDictionary(uniqueKeysWithValues: sorted.map { ($0.key, $0.value) })).jsonText
    }
}
