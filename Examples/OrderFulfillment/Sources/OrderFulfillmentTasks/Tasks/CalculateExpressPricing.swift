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

    /// The result fields flow.yaml reads (`${pricing.field}`).
    struct Output: Codable, Sendable {
        var finalPrice: Double
        var discountApplied: Double
        var shippingCost: Double
        var estimatedDelivery: String

        enum CodingKeys: String, CodingKey {
            case finalPrice = "final_price"
            case discountApplied = "discount_applied"
            case shippingCost = "shipping_cost"
            case estimatedDelivery = "estimated_delivery"
        }

        init(_ quote: PriceQuote) {
            finalPrice = Money.amount(quote.finalCents)
            discountApplied = Money.amount(quote.discountCents)
            shippingCost = Money.amount(quote.shippingCents)
            estimatedDelivery = quote.estimatedDelivery
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        Output(PricingRules.express(subtotalCents: Money.cents(input.subtotal), premium: input.tier == Customer.Tier.premium.rawValue))
    }
}
