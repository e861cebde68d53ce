import FlowCore

/// The task `SummarizeAvailability`, called at step `availability`.
///
/// Reads the loop's per-item results (`${inventory_checks}`: `[{stock: {...}}, ...]`), merges items of the
/// same product (two lines of 300 need 600 on hand), and answers whether everything is available, which
/// products are not, the subtotal, and the order lines that reservation, pricing and shipping use.
enum SummarizeAvailability: FlowTask {
    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var checks: [FlowValue]
    }

    /// The result fields flow.yaml reads (`${availability.field}`).
    struct Output: Codable, Sendable {
        var allAvailable: Bool
        /// One entry per product short of stock: `"PROD-OOS (requested 1, available 0)"`.
        var unavailable: [String]
        var subtotal: Double
        var lines: [OrderLine]

        enum CodingKeys: String, CodingKey {
            case allAvailable = "all_available"
            case unavailable
            case subtotal
            case lines
        }
    }

    private struct Tally {
        var name: String?
        var requested = 0
        var available = 0
        var unitPrice = 0.0
    }

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        var order: [String] = []
        var tallies: [String: Tally] = [:]
        for (index, check) in input.checks.enumerated() {
            guard let stock = check["stock"], let productId = stock["product_id"]?.stringValue,
                let requested = stock["requested"]?.intValue, let available = stock["available"]?.intValue
            else {
                throw TaskError("inventory check \(index + 1) has no stock result: \(check.jsonText)", type: "InvalidInventoryCheck")
            }
            if tallies[productId] == nil { order.append(productId) }
            var tally = tallies[productId] ?? Tally()
            tally.name = stock["name"]?.stringValue
            tally.requested += requested
            tally.available = available
            tally.unitPrice = stock["unit_price"]?.doubleValue ?? 0
            tallies[productId] = tally
        }

        var unavailable: [String] = []
        var lines: [OrderLine] = []
        var subtotalCents = 0
        for productId in order {
            guard let tally = tallies[productId] else { continue }
            guard let name = tally.name, tally.available >= tally.requested else {
                unavailable.append("\(productId) (requested \(tally.requested), available \(tally.available))")
                continue
            }
            let lineCents = Money.cents(tally.unitPrice) * tally.requested
            subtotalCents += lineCents
            lines.append(
                OrderLine(productId: productId, name: name, quantity: tally.requested, unitPrice: tally.unitPrice, lineTotal: Money.amount(lineCents))
            )
        }
        return Output(
            allAvailable: unavailable.isEmpty && !lines.isEmpty,
            unavailable: unavailable,
            subtotal: Money.amount(subtotalCents),
            lines: lines
        )
    }
}
