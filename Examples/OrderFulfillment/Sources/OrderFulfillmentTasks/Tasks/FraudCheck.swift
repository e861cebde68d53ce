import FlowCore

/// The task `FraudCheck`, called at step `fraud` (in parallel with `VerifyPaymentMethod`).
///
/// Scores the order's risk from 0 to 100 and approves it below ``rejectionScore``: large amounts and
/// shipping outside the countries the shop delivers to add risk, and so does an address whose country is not
/// a two-letter code.
enum FraudCheck: FlowTask {
    static let rejectionScore = 70
    /// Where the shop delivers (ISO 3166-1 alpha-2).
    static let deliveryCountries: Set<String> = ["US", "CA", "GB", "IE", "DE", "FR", "NL", "AU", "NZ"]

    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var customerId: String
        var amount: Double
        var shippingAddress: FlowValue

        enum CodingKeys: String, CodingKey {
            case customerId = "customer_id"
            case amount
            case shippingAddress = "shipping_address"
        }
    }

    /// The result fields flow.yaml reads (`${fraud.field}`).
    struct Output: Codable, Sendable {
        var riskScore: Int
        var approved: Bool

        enum CodingKeys: String, CodingKey {
            case riskScore = "risk_score"
            case approved
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        try await context.clock.simulate(OrderServices.current.latency.fraudScoring)
        var score = 5
        switch input.amount {
        case 5_000...: score += 50
        case 1_000..<5_000: score += 25
        default: break
        }
        let country = input.shippingAddress["country"]?.nonBlankString?.uppercased() ?? ""
        if country.count != 2 {
            score += 40
        } else if !deliveryCountries.contains(country) {
            score += 35
        }
        score = min(score, 100)
        let approved = score < rejectionScore
        context.logger.info("fraud check", metadata: ["customer_id": "\(input.customerId)", "risk_score": "\(score)", "approved": "\(approved)"])
        return Output(riskScore: score, approved: approved)
    }
}
