import FlowCore

/// The task `ValidateCustomer`, called at step `customer_check`.
///
/// Decides whether the customer `FetchCustomer` found may order: they must exist, be active, and be
/// reachable for the confirmation (an email address or a phone number).
enum ValidateCustomer: FlowTask {
    /// What flow.yaml passes to the task: `FetchCustomer`'s whole result.
    struct Input: Codable, Sendable {
        var customer: FlowValue
    }

    /// The result fields flow.yaml reads (`${customer_check.field}`).
    struct Output: Codable, Sendable {
        var isValid: Bool
        var reason: String

        enum CodingKeys: String, CodingKey {
            case isValid = "is_valid"
            case reason
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        let customer = input.customer
        let id = customer["customer_id"]?.stringValue ?? "unknown"
        guard customer["found"]?.boolValue == true else {
            return Output(isValid: false, reason: "customer \(id) not found")
        }
        switch customer["status"]?.stringValue {
        case Customer.Status.active.rawValue?:
            break
        case let status?:
            return Output(isValid: false, reason: "customer \(id) is \(status)")
        case nil:
            return Output(isValid: false, reason: "customer \(id) has no account status")
        }
        guard customer["email"]?.nonBlankString != nil || customer["phone"]?.nonBlankString != nil else {
            return Output(isValid: false, reason: "customer \(id) has no email address or phone number for the confirmation")
        }
        return Output(isValid: true, reason: "customer \(id) is active")
    }
}
