/// The API keys a server accepts; empty means no authentication.
///
/// Its description never shows the keys, so a logged configuration stays safe.
public struct APIKeySet: Sendable, Equatable, CustomStringConvertible {
    private let keys: [[UInt8]]

    public init(_ keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }
    }

    public var isEmpty: Bool { keys.isEmpty }
    public var count: Int { keys.count }

    /// One of the keys, for a gateway that calls its backends on its own behalf (never logged).
    package var anyKey: String? { keys.first.map { String(decoding: $0, as: UTF8.self) } }

    public var description: String { "\(keys.count) API key\(keys.count == 1 ? "" : "s") (masked)" }

    /// The index of the key equal to `candidate`, compared in constant time against every key.
    ///
    /// All keys are compared even after a match, so the time taken does not reveal which key matched.
    func match(_ candidate: some StringProtocol) -> Int? {
        let bytes = Array(candidate.utf8)
        var matched: Int?
        for (index, key) in keys.enumerated() where constantTimeEquals(bytes, key) {
            matched = index
        }
        return matched
    }
}
