import FlowCore

/// The task `VerifyPaymentMethod`, called at step `payment_method` (in parallel with `FraudCheck`).
///
/// Checks the payment method is one the shop takes and the token looks like a gateway token (`tok_…`).
/// Whether the card is good is only known when it is charged.
enum VerifyPaymentMethod: FlowTask {
    static let acceptedMethods = ["credit_card", "debit_card", "paypal"]

    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var paymentMethod: String
        var paymentDetails: FlowValue

        enum CodingKeys: String, CodingKey {
            case paymentMethod = "payment_method"
            case paymentDetails = "payment_details"
        }
    }

    /// The result fields flow.yaml reads (`${payment_method.field}`).
    struct Output: Codable, Sendable {
        var valid: Bool
        var reason: String
    }

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        try await context.clock.simulate(OrderServices.current.latency.paymentVerification)
        guard acceptedMethods.contains(input.paymentMethod) else {
            return Output(
                valid: false,
                reason: "payment method '\(input.paymentMethod)' is not accepted; use \(acceptedMethods.joined(separator: ", "))"
            )
        }
        guard let token = input.paymentDetails["token"]?.nonBlankString else {
            return Output(valid: false, reason: "payment_details.token is missing")
        }
        guard token.hasPrefix("tok_"), token.count > 4 else {
            return Output(valid: false, reason: "payment token '\(token)' is not a gateway token (tok_…)")
        }
        return Output(valid: true, reason: "\(input.paymentMethod) token accepted")
    }
}
