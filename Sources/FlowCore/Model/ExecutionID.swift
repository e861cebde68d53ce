/// The id of one execution: the text a server gives a run, as its records, events, journal and routes name it.
///
/// A type of its own, not a `String`, so that an execution id cannot be passed where a flow name, step id or
/// idempotency key is expected, nor one of those where an id is. It encodes as its bare text, so JSON bodies,
/// stored records and URLs are the same as with a string, and `"\(id)"` prints the text.
public struct ExecutionID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringInterpolation
{
    /// The id's text, e.g. a lowercase UUID.
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// An id written in code, e.g. `"e-1"` or `"run-\(index)"` in tests.
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

    /// In the order of their text, as stores sort ids (the tie-break of listings, ``rawValue``'s order).
    public static func < (left: ExecutionID, right: ExecutionID) -> Bool {
        left.rawValue < right.rawValue
    }
}
