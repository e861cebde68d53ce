import FlowCore

/// The task `CalculateExpressPricing`, called at step `pricing` for `order_type: express`.
///
/// Shipping is always 19.99; premium members get 15% off the goods; delivery in 1-2 business days.
/// Amounts are rounded to cents.
enum CalculateExpressPricing: FlowTask {
    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var subtotal: Double
        var tier: String
    }

    /// The result fields flow.yaml reads (`${pricing.field}`), shared by every pricing task.
    typealias Output = PricingOutput

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        Output(PricingRules.express(subtotalCents: Money.cents(input.subtotal), premium: input.tier == Customer.Tier.premium.rawValue))
    }
}
