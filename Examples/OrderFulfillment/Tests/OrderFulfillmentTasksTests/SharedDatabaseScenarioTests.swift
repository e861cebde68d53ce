import FlowConnections
import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

/// The shop's records live in its database, not in the server: a restarted server, or a second one on the
/// same database, sees the same stock, orders and payments.
@Suite(.shopDatabase) struct SharedDatabaseScenarioTests {
    /// Runs `body` as another server process would: its own pools on the same database, and its own services
    /// (a gateway that has charged nothing).
    static func asAnotherServer<Result: Sendable>(
        registry: TaskRegistry = makeTaskRegistry(),
        _ body: (OrderScenario) async throws -> Result
    ) async throws -> Result {
        let database = try TestDatabase.required()
        return try await ConnectionPools.withPools(logger: TestDatabase.logger) { pools in
            try await TestDatabase.$current.withValue(TestDatabase(url: database.url, pools: pools)) {
                try await body(OrderScenario(registry: registry))
            }
        }
    }

    @Test func restartedServerKeepsStockOrdersAndPaymentsAndChargesARepeatedOrderNothing() async throws {
        let before = try await OrderScenario().run(Orders.order(idempotencyKey: "order-restart-1"))
        guard expectSuccess(before) else { return }

        try await Self.asAnotherServer { restarted in
            #expect(try await restarted.services.stock("PROD-001", "PROD-002") == [498, 299])
            #expect(try await restarted.services.orders.orders().map(\.orderId) == [before.output("order_id")?.stringValue])

            let again = try await restarted.run(Orders.order(idempotencyKey: "order-restart-1"))

            guard expectSuccess(again) else { return }
            #expect(restarted.services.payments.attempts == 0, "the ledger held the payment; the gateway was not called")
            #expect(again.output("transaction_id") == before.output("transaction_id"))
            #expect(again.output("order_id") == before.output("order_id"))
            #expect(try await restarted.services.orders.orders().count == 1)
            #expect(try await restarted.services.stock("PROD-001", "PROD-002") == [498, 299], "the stock is taken once")
        }
    }

    @Test func twoServersOrderingTheLastUnitsAtOnceSellThemOnce() async throws {
        // PROD-004 has 25 in stock: both orders pass the availability check, then reserve at the same time.
        let items: FlowValue = [["product_id": "PROD-004", "quantity": 20]]
        let bothChecked = AsyncBarrier(parties: 2)
        let registry = makeTaskRegistry().wrapping("ReserveInventory") { inputs, context, original in
            try await bothChecked.arrive()
            return try await original(inputs, context)
        }
        let first = try OrderScenario(registry: registry)
        async let firstRun = first.run(Orders.order(items: items, idempotencyKey: "order-a"))
        let (secondRun, secondCharges) = try await Self.asAnotherServer(registry: registry) { second in
            let run = try await second.run(Orders.order(items: items, idempotencyKey: "order-b"))
            return (run, second.services.payments.charges.count)
        }
        let runs = try await [firstRun, secondRun]

        let sold = runs.filter { $0.output("success") == true }
        let refused = runs.filter { $0.result.failure?.type == "OutOfStock" }
        #expect(sold.count == 1)
        #expect(refused.count == 1, "\(runs.map { String(describing: $0.result.failure) })")
        #expect(first.services.payments.charges.count + secondCharges == 1, "only the order holding the stock was charged")
        #expect(try await first.services.stock("PROD-004") == [5])
        #expect(try await first.services.inventory.openReservations().isEmpty)
        #expect(try await first.services.inventory.committedReservations().count == 1)
    }
}
