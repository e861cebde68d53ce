import FlowCore

/// The `payment_details` input as `ReserveInventory` and `ChargePayment` read it: the gateway token and the
/// client's idempotency key, which is optional.
///
/// With a key, the reservation and the charge are made once per key: the same order sent again (a client
/// retrying a request whose answer it never got) gets its first reservation and charge back. Without one,
/// each task derives a key from its execution, `<execution id>:reservation` and `<execution id>:charge`
/// (``derivedKey(_:executionId:)``): the same on every attempt of the step, so the flow's own retries never
/// reserve or charge twice, and new for every execution, so two requests without a key are two orders.
struct PaymentDetails: Codable, Sendable, Equatable {
    /// What a derived key is for, its suffix.
    enum Purpose: String, Sendable {
        case reservation
        case charge
    }

    var token: String?
    var idempotencyKey: String?

    enum CodingKeys: String, CodingKey {
        case token
        case idempotencyKey = "idempotency_key"
    }

    /// The client's key, or the execution's key for `purpose` when the client sent none (or `null`).
    ///
    /// - Throws: `InvalidTaskInput` when the client's key is blank. (One that is not a string does not decode.)
    func idempotencyKey(for purpose: Purpose, context: TaskContext) throws -> String {
        guard let idempotencyKey else { return Self.derivedKey(purpose, executionId: context.executionId) }
        if let problem = Self.keyProblem(.string(idempotencyKey)) { throw TaskError(problem, type: "InvalidTaskInput") }
        return idempotencyKey
    }

    /// `<execution id>:<purpose>`: the key of an order sent without one.
    static func derivedKey(_ purpose: Purpose, executionId: ExecutionID) -> String { "\(executionId):\(purpose.rawValue)" }

    /// What is wrong with `payment_details.idempotency_key`: `nil` when it is absent or `null` (a key is then
    /// derived) or a non-blank string, otherwise the problem (a blank string, a number, an object, …).
    static func keyProblem(_ key: FlowValue?) -> String? {
        switch key {
        case nil, .null?: nil
        case let key? where key.nonBlankString == nil:
            "payment_details.idempotency_key must be a non-empty string, got \(key.jsonText)"
        default: nil
        }
    }
}
