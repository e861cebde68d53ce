/// The id of one step: its `id:` in the flow, or its task (or subflow) name when it has none, as events, the
/// journal, errors and task contexts name it.
///
/// A type of its own, not a `String`, so that a step id cannot be passed where a flow name, task name or execution
/// id is expected, nor one of those where a step id is. It encodes as its bare text, so events, stored journals and
/// log lines are the same as with a string, and `"\(id)"` prints the text.
public struct StepID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringInterpolation
{
    /// The id's text, e.g. `charge`.
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// An id written in code, e.g. `"charge"` or `"step-\(index)"` in tests.
    public init(stringLiteral value: String) {
        self.init(rawValue: value)
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    /// In the order of their text (``rawValue``'s order).
    public static func < (left: StepID, right: StepID) -> Bool {
        left.rawValue < right.rawValue
    }
}
