import FlowCore

/// The task `CalculateStandardPricing`, called at step `pricing` for `order_type: standard`.
///
/// Premium members get 10% off; shipping is 5.99, free when the discounted goods cost more than 100.00;
/// delivery in 5-7 business days. Amounts are rounded to cents.
enum CalculateStandardPricing: FlowTask {
    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var subtotal: Double
        var tier: String
    }

    /// The result fields flow.yaml reads (`${pricing.field}`), shared by every pricing task.
    typealias Output = PricingOutput

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        Output(PricingRules.standard(subtotalCents: Money.cents(input.subtotal), premium: input.tier == Customer.Tier.premium.rawValue))
    }
}
