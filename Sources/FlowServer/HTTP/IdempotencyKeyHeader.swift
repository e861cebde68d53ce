import HTTPTypes
import Hummingbird

/// The `Idempotency-Key` request header: a client's name for one intended execution, so a retried request
/// gets the first execution instead of starting a second.
enum IdempotencyKeyHeader {
    static let name = HTTPField.Name("Idempotency-Key")!
    static let maxLength = 255

    /// The request's key; nil without one.
    ///
    /// - Throws: a 422 naming the header when it is empty, longer than 255 characters or not printable ASCII.
    static func value(of request: Request) throws -> String? {
        guard let value = request.headers[name] else { return nil }
        guard !value.isEmpty, value.count <= maxLength,
            value.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
        else {
            throw APIError.envelope(
                .unprocessableContent,
                "Idempotency-Key must be 1 to \(maxLength) printable ASCII characters without spaces"
            )
        }
        return value
    }
}
