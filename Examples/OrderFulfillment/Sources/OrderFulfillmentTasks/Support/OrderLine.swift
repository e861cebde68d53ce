import Foundation
import FlowCore

/// One product of an order with everything pricing, reservation and shipping need: what
/// `SummarizeAvailability` puts in `${availability.lines}`.
struct OrderLine: Codable, Sendable, Equatable {
    var productId: String
    var name: String
    var quantity: Int
    var unitPrice: Double
    var lineTotal: Double

    enum CodingKeys: String, CodingKey {
        case productId = "product_id"
        case name
        case quantity
        case unitPrice = "unit_price"
        case lineTotal = "line_total"
    }
}

/// Amounts of money as whole cents, so sums and discounts never drift by a fraction of a cent.
enum Money {
    /// `amount` in cents, rounded half away from zero.
    static func cents(_ amount: Double) -> Int { Int((amount * 100).rounded()) }

    /// `cents` as an amount with at most two decimals.
    static func amount(_ cents: Int) -> Double { Double(cents) / 100 }

    /// `percent`% of `cents`, rounded to the nearest cent.
    static func percent(_ percent: Int, of cents: Int) -> Int { Int((Double(cents * percent) / 100).rounded()) }

    /// `12.5` → `"12.50"`, for messages.
    static func text(_ cents: Int) -> String {
        let remainder = abs(cents) % 100
        return "\(cents < 0 ? "-" : "")\(abs(cents) / 100).\(remainder < 10 ? "0" : "")\(remainder)"
    }
}

extension FlowValue {
    /// `.string(value)`, or `.null` for `nil`.
    init(_ value: String?) {
        self = value.map(FlowValue.string) ?? .null
    }

    /// The string payload with surrounding whitespace removed, `nil` when absent or blank.
    var nonBlankString: String? {
        guard let text = stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}
