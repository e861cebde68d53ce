import Synchronization

/// The shop's orders: one per payment, so a repeated request for a paid order finds the order it already made.
public final class OrderBook: Sendable {
    /// An order that was paid for.
    public struct Order: Sendable, Equatable {
        public var orderId: String
        public var confirmationCode: String
        public var customerId: String
        public var reservationId: String
        public var transactionId: String
        public var total: Double
        public var orderType: String
    }

    private struct State {
        var orders: [Order] = []
        var nextNumber: Int
    }

    private let state: Mutex<State>

    /// An empty book whose first order is `ORD-<firstNumber>`.
    public init(firstNumber: Int = 100_001) {
        state = Mutex(State(nextNumber: firstNumber))
    }

    /// Every order, oldest first.
    public var orders: [Order] { state.withLock { $0.orders } }

    public func order(id: String) -> Order? { state.withLock { $0.orders.first { $0.orderId == id } } }

    /// Records the order paid by `transactionId`; the same transaction again returns the order it made.
    public func create(customerId: String, reservationId: String, transactionId: String, total: Double, orderType: String) -> Order {
        state.withLock { state in
            if let existing = state.orders.first(where: { $0.transactionId == transactionId }) { return existing }
            let number = state.nextNumber
            state.nextNumber += 1
            let order = Order(
                orderId: "ORD-\(number)",
                confirmationCode: Self.confirmationCode(for: number),
                customerId: customerId,
                reservationId: reservationId,
                transactionId: transactionId,
                total: total,
                orderType: orderType
            )
            state.orders.append(order)
            return order
        }
    }

    /// Six letters and digits a customer can read out on the phone (no 0/O or 1/I), derived from the number.
    static func confirmationCode(for number: Int) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var value = UInt64(number) &* 0x9E37_79B9_7F4A_7C15
        var code = ""
        for _ in 0..<6 {
            code.append(alphabet[Int(value % UInt64(alphabet.count))])
            value /= UInt64(alphabet.count)
        }
        return code
    }
}
