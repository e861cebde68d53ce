import FlowCore

/// The task `CalculateBulkPricing`, called at step `pricing` for `order_type: bulk`.
///
/// A discount by the order's total units (``PricingRules/bulkTiers``: 10+ units 5%, 25+ 10%, 50+ 15%,
/// 100+ 20%; premium members 5 points more), free shipping, delivery in 5-7 business days. Amounts are
/// rounded to cents.
enum CalculateBulkPricing: FlowTask {
    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var subtotal: Double
        var lines: [OrderLine]
        var tier: String
    }

    /// The result fields flow.yaml reads (`${pricing.field}`), shared by every pricing task.
    typealias Output = PricingOutput

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        let units = input.lines.reduce(0) { $0 + $1.quantity }
        return Output(
            PricingRules.bulk(subtotalCents: Money.cents(input.subtotal), units: units, premium: input.tier == Customer.Tier.premium.rawValue)
        )
    }
}
