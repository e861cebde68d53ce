/// An identifier that is a piece of text with a type of its own (``ExecutionID``, ``StepID``): it cannot be passed
/// where another kind of name is expected, yet encodes as its bare text, so JSON, stored rows and log lines are
/// the same as with a string, `"\(id)"` prints the text, and ids order by their text.
///
/// A conforming type declares only `rawValue` and an `init(rawValue:)` that takes any text; this protocol gives
/// the rest.
public protocol TextIdentifier: RawRepresentable<String>, Hashable, Comparable, Sendable, Codable,
    CustomStringConvertible, ExpressibleByStringInterpolation
{}

extension TextIdentifier {
    /// An id written in code, e.g. `"e-1"` or `"run-\(index)"` in tests.
    public init(stringLiteral value: String) {
        self.init(rawValue: value)!
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let id = Self(rawValue: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a valid \(Self.self)")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (left: Self, right: Self) -> Bool {
        left.rawValue < right.rawValue
    }
}
