import FlowCore

/// The task `ValidateOrderItems`, called at step `order_items`.
///
/// Checks everything about the order's shape before anything is reserved or charged, so a malformed order
/// ends as a clean `invalid_order` exit with every problem listed: at least one item, each an object with a
/// known `product_id` and a whole `quantity` from 1 to ``maximumQuantity``; at most ``maximumItems`` items;
/// a shipping address with every field the carrier needs; payment details with a `token`, and an
/// `idempotency_key` that is a non-empty string when it is sent at all (without one, `ReserveInventory` and
/// `ChargePayment` derive one from the execution: see ``PaymentDetails``).
enum ValidateOrderItems: FlowTask {
    static let maximumItems = 100
    static let maximumQuantity = 10_000

    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var items: [FlowValue]
        var shippingAddress: FlowValue
        var paymentDetails: FlowValue

        enum CodingKeys: String, CodingKey {
            case items
            case shippingAddress = "shipping_address"
            case paymentDetails = "payment_details"
        }
    }

    /// The result fields flow.yaml reads (`${order_items.field}`).
    struct Output: Codable, Sendable {
        var isValid: Bool
        var reason: String

        enum CodingKeys: String, CodingKey {
            case isValid = "is_valid"
            case reason
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        let inventory = try await Shop.open(context).inventory
        var problems: [String] = []

        if input.items.isEmpty { problems.append("the order has no items") }
        if input.items.count > maximumItems {
            problems.append("the order has \(input.items.count) items; at most \(maximumItems) are allowed")
        }
        for (index, item) in input.items.enumerated() {
            let label = "item \(index + 1)"
            guard item.objectValue != nil else {
                problems.append("\(label) must be an object with product_id and quantity, got \(item.kindName)")
                continue
            }
            if let productId = item["product_id"]?.nonBlankString {
                if try await inventory.product(id: productId) == nil { problems.append("\(label): unknown product \(productId)") }
            } else {
                problems.append("\(label): product_id must be a non-empty string")
            }
            switch item["quantity"] {
            case nil, .null?:
                problems.append("\(label): quantity is missing")
            case let quantity? where quantity.intValue == nil:
                problems.append("\(label): quantity must be a whole number, got \(quantity.jsonText)")
            case let quantity?:
                let value = quantity.intValue ?? 0
                if value < 1 {
                    problems.append("\(label): quantity must be at least 1, got \(value)")
                } else if value > maximumQuantity {
                    problems.append("\(label): quantity \(value) is over the limit of \(maximumQuantity) per item")
                }
            }
        }

        let missingAddress = ShippingService.requiredAddressFields.filter { input.shippingAddress[$0]?.nonBlankString == nil }
        if !missingAddress.isEmpty {
            problems.append("shipping_address is missing \(missingAddress.joined(separator: ", "))")
        }
        if input.paymentDetails["token"]?.nonBlankString == nil { problems.append("payment_details is missing token") }
        if let problem = PaymentDetails.keyProblem(input.paymentDetails["idempotency_key"]) { problems.append(problem) }

        guard problems.isEmpty else { return Output(isValid: false, reason: problems.joined(separator: "; ")) }
        return Output(isValid: true, reason: "\(input.items.count) item(s) valid")
    }
}
