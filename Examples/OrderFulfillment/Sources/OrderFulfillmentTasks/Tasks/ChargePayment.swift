import FlowCore

/// The task `ChargePayment`, called at step `payment`.
///
/// Charges the order's final price through the gateway under the order's idempotency key, once: a payment
/// the shop's ledger (``PaymentLedger``, in its database) already holds for the key is returned without
/// calling the gateway, so a repeat after a restart or on another server charges nothing. The key is the client's
/// `payment_details.idempotency_key`, so the flow's retries and the same order sent twice charge once, or,
/// when the client sent none, `<execution id>:charge` (``PaymentDetails``), so the flow's retries still charge
/// once and every execution is its own charge. Gateway failures keep the gateway's error type:
/// `GatewayTimeout` and `GatewayUnavailable` are transient (flow.yaml's `retry_on` retries them),
/// `CardDeclined`, `IdempotencyKeyReused` and `InvalidAmount` are final and reach the step's `on_error`.
///
/// A circuit breaker guards the gateway (``PaymentGateway/breakerConfiguration``): after repeated timeouts or
/// outages it opens and the task fails at once with `CircuitOpen`, which the flow does not retry, so orders
/// fail fast with a clear message instead of waiting on a gateway that is down; the stock is released as for
/// any payment failure.
enum ChargePayment: FlowTask {
    /// What flow.yaml passes to the task.
    struct Input: Codable, Sendable {
        var amount: Double
        var paymentMethod: String
        /// The card's `token` and the client's optional `idempotency_key`.
        var paymentDetails: PaymentDetails
        var customerId: String

        enum CodingKeys: String, CodingKey {
            case amount
            case paymentMethod = "payment_method"
            case paymentDetails = "payment_details"
            case customerId = "customer_id"
        }
    }

    /// The result fields flow.yaml reads (`${payment.field}`).
    struct Output: Codable, Sendable {
        var transactionId: String
        var amountCharged: Double
        var status: String

        enum CodingKeys: String, CodingKey {
            case transactionId = "transaction_id"
            case amountCharged = "amount_charged"
            case status
        }
    }

    static func run(_ input: Input, context: TaskContext) async throws -> Output {
        let services = OrderServices.current
        let breaker = services.breakers.breaker(named: PaymentGateway.breakerName, configuration: PaymentGateway.breakerConfiguration)
        let amount = Money.amount(Money.cents(input.amount))
        guard let token = input.paymentDetails.token else {
            throw TaskError("payment_details.token is missing", type: "InvalidTaskInput")
        }
        let idempotencyKey = try input.paymentDetails.idempotencyKey(for: .charge, context: context)
        let ledger = try await Shop.open(context).payments
        if let taken = try await ledger.payment(idempotencyKey: idempotencyKey) {
            guard Money.cents(taken.amount) == Money.cents(amount) else {
                throw TaskError(
                    "idempotency key \(idempotencyKey) was already used for a payment of \(taken.amount)",
                    type: "IdempotencyKeyReused"
                )
            }
            context.logger.info("payment already taken", metadata: ["transaction_id": "\(taken.transactionId)"])
            return Output(transactionId: taken.transactionId, amountCharged: taken.amount, status: "captured")
        }
        do {
            let charge = try await breaker.run {
                try await context.clock.simulate(services.latency.paymentCharge)
                return try services.payments.charge(amount: amount, token: token, idempotencyKey: idempotencyKey)
            }
            let payment = try await ledger.record(idempotencyKey: idempotencyKey, transactionId: charge.transactionId, amount: charge.amount)
            context.logger.info(
                "payment captured",
                metadata: ["transaction_id": "\(charge.transactionId)", "amount": "\(charge.amount)", "attempt": "\(context.attempt)"]
            )
            return Output(transactionId: payment.transactionId, amountCharged: payment.amount, status: "captured")
        } catch let error as PaymentGateway.Failure {
            context.logger.warning("payment failed", metadata: ["error_type": "\(error.type)", "attempt": "\(context.attempt)"])
            throw TaskError(error.message, type: error.type)
        } catch let error as CircuitOpenError {
            context.logger.warning("payment gateway circuit open; failing fast", metadata: ["attempt": "\(context.attempt)"])
            throw TaskError(error.description, type: "CircuitOpen")
        }
    }
}
