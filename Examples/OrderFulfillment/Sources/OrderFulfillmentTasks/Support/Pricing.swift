/// The price of an order: what the three pricing tasks compute, each with its own rules.
struct PriceQuote: Sendable, Equatable {
    var subtotalCents: Int
    var discountCents: Int
    var shippingCents: Int
    var estimatedDelivery: String

    /// Subtotal less discount plus shipping.
    var finalCents: Int { subtotalCents - discountCents + shippingCents }

    /// A quote taking `discountPercent`% off the subtotal.
    init(subtotalCents: Int, discountPercent: Int, shippingCents: Int, estimatedDelivery: String) {
        self.subtotalCents = subtotalCents
        self.discountCents = Money.percent(discountPercent, of: subtotalCents)
        self.shippingCents = shippingCents
        self.estimatedDelivery = estimatedDelivery
    }
}

/// The shop's pricing rules, one function per order type.
enum PricingRules {
    /// Standard orders ship free when the discounted goods cost more than this.
    static let freeShippingThresholdCents = 100_00
    static let standardShippingCents = 5_99
    static let expressShippingCents = 19_99

    /// Standard: premium members get 10% off; shipping is 5.99, free over 100.00 after the discount.
    static func standard(subtotalCents: Int, premium: Bool) -> PriceQuote {
        var quote = PriceQuote(
            subtotalCents: subtotalCents,
            discountPercent: premium ? 10 : 0,
            shippingCents: standardShippingCents,
            estimatedDelivery: "5-7 business days"
        )
        if quote.subtotalCents - quote.discountCents > freeShippingThresholdCents { quote.shippingCents = 0 }
        return quote
    }

    /// Express: shipping is always 19.99; premium members get 15% off the goods.
    static func express(subtotalCents: Int, premium: Bool) -> PriceQuote {
        PriceQuote(
            subtotalCents: subtotalCents,
            discountPercent: premium ? 15 : 0,
            shippingCents: expressShippingCents,
            estimatedDelivery: "1-2 business days"
        )
    }

    /// Bulk discount tiers by total units, highest first: 100+ units 20%, 50+ 15%, 25+ 10%, 10+ 5%.
    static let bulkTiers: [(minimumUnits: Int, percent: Int)] = [(100, 20), (50, 15), (25, 10), (10, 5)]

    /// Bulk: a discount by total units (premium members 5 points more), free shipping.
    static func bulk(subtotalCents: Int, units: Int, premium: Bool) -> PriceQuote {
        let tier = bulkTiers.first { units >= $0.minimumUnits }?.percent ?? 0
        return PriceQuote(
            subtotalCents: subtotalCents,
            discountPercent: tier + (premium ? 5 : 0),
            shippingCents: 0,
            estimatedDelivery: "5-7 business days"
        )
    }
}

/// What every pricing task returns: the fields flow.yaml reads as `${pricing.field}`.
struct PricingOutput: Codable, Sendable {
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
