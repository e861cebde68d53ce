import FlowCore

/// The remote services the order tasks call (simulated here), bundled so a whole set can be swapped at once.
/// The shop's own records (stock, orders, payments taken) are in its database instead: see ``Shop``.
///
/// Tasks read ``current``. The server runs with the demo set made on first use (remote calls taking a few
/// milliseconds, ``SimulatedLatency/demo``), whose state lives as long as the process; tests give every
/// scenario fresh services, which the engine's child tasks inherit:
/// ```swift
/// let services = OrderServices.demo()
/// services.payments.failNext(2)
/// let run = try await OrderServices.$current.withValue(services) {
///     try await harness.run(inputs)
/// }
/// #expect(services.payments.charges.count == 1)
/// ```
public struct OrderServices: Sendable {
    public var customers: CustomerDirectory
    public var payments: PaymentGateway
    public var shipping: ShippingService
    public var notifier: Notifier
    /// How long the simulated remote calls (fraud scoring, payment verification, charges) take.
    public var latency: SimulatedLatency
    /// Circuit breakers around the remote services; `ChargePayment` guards the gateway with one.
    public var breakers: CircuitBreakerRegistry

    public init(
        customers: CustomerDirectory,
        payments: PaymentGateway = PaymentGateway(),
        shipping: ShippingService = ShippingService(),
        notifier: Notifier = Notifier(),
        latency: SimulatedLatency = .none,
        breakers: CircuitBreakerRegistry = CircuitBreakerRegistry()
    ) {
        self.customers = customers
        self.payments = payments
        self.shipping = shipping
        self.notifier = notifier
        self.latency = latency
        self.breakers = breakers
    }

    /// A fresh set with the demo customers, nothing charged, shipped or sent yet; remote calls
    /// answer at once unless `latency` says otherwise, and the circuit breakers start closed.
    public static func demo(latency: SimulatedLatency = .none, breakers: CircuitBreakerRegistry = CircuitBreakerRegistry())
        -> OrderServices
    {
        OrderServices(customers: .demo(), latency: latency, breakers: breakers)
    }

    /// The services tasks use: the demo set unless a caller binds others with `$current.withValue`.
    @TaskLocal public static var current = OrderServices.demo(latency: .demo)
}

/// How long the simulated remote services take to answer.
///
/// Tasks wait on the execution's clock (`TaskContext.clock`), so a cancelled run stops waiting at once and
/// tests with a `ManualClock` decide when the answer comes. With latency the parallel fraud check and payment
/// verification visibly overlap in the event stream, as they would against real services.
public struct SimulatedLatency: Sendable, Equatable {
    public var fraudScoring: Duration
    public var paymentVerification: Duration
    public var paymentCharge: Duration

    public init(fraudScoring: Duration, paymentVerification: Duration, paymentCharge: Duration) {
        self.fraudScoring = fraudScoring
        self.paymentVerification = paymentVerification
        self.paymentCharge = paymentCharge
    }

    /// Every call answers at once: no clock is involved.
    public static let none = SimulatedLatency(fraudScoring: .zero, paymentVerification: .zero, paymentCharge: .zero)

    /// The server's demo: a few milliseconds per remote call.
    public static let demo = SimulatedLatency(
        fraudScoring: .milliseconds(30),
        paymentVerification: .milliseconds(20),
        paymentCharge: .milliseconds(40)
    )
}

extension Clock where Duration == Swift.Duration {
    /// Waits `latency` on this clock, or not at all when it is zero.
    func simulate(_ latency: Duration) async throws {
        guard latency > .zero else { return }
        try await sleep(for: latency)
    }
}
