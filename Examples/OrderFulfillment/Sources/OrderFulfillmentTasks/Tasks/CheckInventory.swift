import FlowCore

/// The task `CheckInventory`, called at step `stock` once per item of the order.
///
/// Reports how many units of the product are on hand (and not reserved by other orders) against the
/// quantity requested, and the product's unit price. An unknown product is simply not in stock.
enum CheckInventory: FlowTask {
    /// What flow.yaml passes to the task: one item of the order.
    struct Input: Codable, Sendable {
        var productId: String
        var quantity: FlowValue

        enum CodingKeys: String, CodingKey {
            case productId = "product_id"
            case quantity
        }
    }

    /// The result fields flow.yaml reads (`${stock.field}`).
    struct Output: Codable, Sendable {
        var productId: String
        var name: FlowValue
        var requested: Int
        var available: Int
        var inStock: Bool
        var unitPrice: Double

        enum CodingKeys: String, CodingKey {
            case productId = "product_id"
            case name
            case requested
            case available
            case inStock = "in_stock"
            case unitPrice = "unit_price"
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        guard let requested = input.quantity.intValue, requested > 0 else {
            throw TaskError("quantity of \(input.productId) must be a positive whole number, got \(input.quantity.jsonText)", type: "InvalidQuantity")
        }
        let inventory = try await Shop.open(context).inventory
        guard let product = try await inventory.product(id: input.productId) else {
            return Output(productId: input.productId, name: nil, requested: requested, available: 0, inStock: false, unitPrice: 0)
        }
        let available = try await inventory.available(product.id)
        return Output(
            productId: product.id,
            name: .string(product.name),
            requested: requested,
            available: available,
            inStock: available >= requested,
            unitPrice: product.unitPrice
        )
    }
}
