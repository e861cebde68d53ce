import FlowCore
import Synchronization

/// A card processor that remembers idempotency keys, so a retried or repeated order charges once.
///
/// Tests and demos can make it fail: the next N charges fail transiently (`GatewayTimeout` or
/// `GatewayUnavailable`, retried by the flow) or every charge fails permanently (`CardDeclined`). Tokens
/// choose a behaviour too: `tok_declined…` is always declined, and `tok_flaky…` times out on the first two
/// attempts of each idempotency key and succeeds on the third (the flow's retry demo).
public final class PaymentGateway: Sendable {
    /// A charge the gateway accepted.
    public struct Charge: Sendable, Equatable {
        public var transactionId: String
        public var amount: Double
        public var idempotencyKey: String
        public var refunded: Bool
    }

    /// A gateway failure, with the type name the flow's `retry_on` matches.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var type: String
        public var message: String
        public var description: String { message }

        /// A timeout or outage of the gateway itself, worth retrying later.
        public var isTransient: Bool { type == "GatewayTimeout" || type == "GatewayUnavailable" }
    }

    private struct State {
        var charges: [String: Charge] = [:]
        var transientFailures = 0
        var transientType = "GatewayTimeout"
        var attemptsByKey: [String: Int] = [:]
        var declineAll = false
        var attempts = 0
        var nextTransaction = 1
    }

    private let state = Mutex(State())

    public init() {}

    /// The breaker that guards charges: open after 5 gateway failures in a row, for 30 s, then one trial
    /// charge. Only timeouts and outages count: a declined card means the gateway is working.
    public static let breakerName = "payment-gateway"
    public static let breakerConfiguration = CircuitBreakerConfiguration(
        failureThreshold: .consecutive(5),
        openDuration: .seconds(30),
        halfOpenTrialCalls: 1,
        isFailure: { error in (error as? Failure).map { $0.isTransient } ?? true }
    )

    /// The next `count` charge attempts fail transiently with `type` (`GatewayTimeout` or `GatewayUnavailable`).
    public func failNext(_ count: Int, type: String = "GatewayTimeout") {
        state.withLock { state in
            state.transientFailures = count
            state.transientType = type
        }
    }

    /// Every charge is declined until reset.
    public func declineAll(_ decline: Bool = true) { state.withLock { $0.declineAll = decline } }

    /// Charge attempts so far, failed ones included.
    public var attempts: Int { state.withLock { $0.attempts } }

    /// Accepted charges, by idempotency key.
    public var charges: [Charge] { state.withLock { Array($0.charges.values).sorted { $0.transactionId < $1.transactionId } } }

    /// Charges `amount` once per idempotency key; a repeat returns the first charge (and fails with
    /// `IdempotencyKeyReused` when it asks for a different amount).
    public func charge(amount: Double, token: String, idempotencyKey: String) throws(Failure) -> Charge {
        try state.withLock { (state: inout State) throws(Failure) -> Charge in
            state.attempts += 1
            state.attemptsByKey[idempotencyKey, default: 0] += 1
            if let existing = state.charges[idempotencyKey] {
                guard (existing.amount * 100).rounded() == (amount * 100).rounded() else {
                    throw Failure(
                        type: "IdempotencyKeyReused",
                        message: "idempotency key \(idempotencyKey) was already used for a charge of \(existing.amount)"
                    )
                }
                return existing
            }
            if state.transientFailures > 0 {
                state.transientFailures -= 1
                throw Self.transient(state.transientType)
            }
            if token.hasPrefix("tok_flaky"), state.attemptsByKey[idempotencyKey, default: 0] <= 2 {
                throw Self.transient("GatewayTimeout")
            }
            if state.declineAll || token.hasPrefix("tok_declined") {
                throw Failure(type: "CardDeclined", message: "card declined by issuer")
            }
            guard amount > 0 else { throw Failure(type: "InvalidAmount", message: "amount must be positive") }
            let charge = Charge(
                transactionId: "TXN-\(100_000 + state.nextTransaction)",
                amount: amount,
                idempotencyKey: idempotencyKey,
                refunded: false
            )
            state.nextTransaction += 1
            state.charges[idempotencyKey] = charge
            return charge
        }
    }

    private static func transient(_ type: String) -> Failure {
        switch type {
        case "GatewayUnavailable": Failure(type: type, message: "payment gateway unavailable (503)")
        default: Failure(type: type, message: "payment gateway timed out")
        }
    }

    /// Refunds a charge; false when unknown or already refunded.
    @discardableResult
    public func refund(transactionId: String) -> Bool {
        state.withLock { state in
            guard let key = state.charges.first(where: { $0.value.transactionId == transactionId && !$0.value.refunded })?.key
            else { return false }
            state.charges[key]?.refunded = true
            return true
        }
    }
}
