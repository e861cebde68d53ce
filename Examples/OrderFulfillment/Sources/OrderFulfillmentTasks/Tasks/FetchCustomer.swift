import FlowCore

/// The task `FetchCustomer`, called at step `customer`.
///
/// Looks the customer up in the directory. An unknown id is not an error: the result says `found: false`
/// and `ValidateCustomer` turns it into the flow's validation exit.
enum FetchCustomer: FlowTask {
    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var customerId: String

        enum CodingKeys: String, CodingKey {
            case customerId = "customer_id"
        }
    }

    /// The result fields flow.yaml reads (`${customer.field}`); all but `found` and `customer_id` are null
    /// for an unknown customer.
    struct Output: Codable, Sendable {
        var found: Bool
        var customerId: String
        var name: FlowValue
        var email: FlowValue
        var phone: FlowValue
        var status: FlowValue
        var tier: FlowValue

        enum CodingKeys: String, CodingKey {
            case found
            case customerId = "customer_id"
            case name
            case email
            case phone
            case status
            case tier
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        guard let customer = OrderServices.current.customers.customer(id: input.customerId) else {
            return Output(found: false, customerId: input.customerId, name: nil, email: nil, phone: nil, status: nil, tier: nil)
        }
        return Output(
            found: true,
            customerId: customer.id,
            name: .string(customer.name),
            email: FlowValue(customer.email.isEmpty ? nil : customer.email),
            phone: FlowValue(customer.phone.isEmpty ? nil : customer.phone),
            status: .string(customer.status.rawValue),
            tier: .string(customer.tier.rawValue)
        )
    }
}
