import FlowCore
import FlowTesting
import Testing
@testable import OrderFulfillmentTasks

/// Bad input never crashes, never charges and never leaves stock reserved: inputs of the wrong type are
/// refused before anything runs, and orders of the right types with bad contents end in a clean
/// `invalid_order` exit that lists every problem.
@Suite(.shopDatabase) struct MalformedOrderTests {
    struct Malformed: Sendable, CustomTestStringConvertible {
        var name: String
        var inputs: FlowValue
        /// What the exit's message must contain.
        var problem: String
        var testDescription: String { name }
    }

    static let cleanFailures: [Malformed] = [
        Malformed(
            name: "negative quantity",
            inputs: Orders.order(items: [["product_id": "PROD-001", "quantity": -2]]),
            problem: "item 1: quantity must be at least 1, got -2"
        ),
        Malformed(
            name: "zero quantity",
            inputs: Orders.order(items: [["product_id": "PROD-001", "quantity": 1], ["product_id": "PROD-002", "quantity": 0]]),
            problem: "item 2: quantity must be at least 1, got 0"
        ),
        Malformed(
            name: "fractional quantity",
            inputs: Orders.order(items: [["product_id": "PROD-001", "quantity": 1.5]]),
            problem: "item 1: quantity must be a whole number, got 1.5"
        ),
        Malformed(
            name: "quantity as text",
            inputs: Orders.order(items: [["product_id": "PROD-001", "quantity": "two"]]),
            problem: #"item 1: quantity must be a whole number, got "two""#
        ),
        Malformed(
            name: "quantity missing",
            inputs: Orders.order(items: [["product_id": "PROD-001"]]),
            problem: "item 1: quantity is missing"
        ),
        Malformed(
            name: "huge quantity",
            inputs: Orders.order(items: [["product_id": "PROD-001", "quantity": 9_000_000_000]]),
            problem: "item 1: quantity 9000000000 is over the limit of 10000 per item"
        ),
        Malformed(
            name: "unknown product",
            inputs: Orders.order(items: [["product_id": "PROD-999", "quantity": 1]]),
            problem: "item 1: unknown product PROD-999"
        ),
        Malformed(
            name: "product id of the wrong type",
            inputs: Orders.order(items: [["product_id": 42, "quantity": 1]]),
            problem: "item 1: product_id must be a non-empty string"
        ),
        Malformed(
            name: "item that is not an object",
            inputs: Orders.order(items: ["PROD-001"]),
            problem: "item 1 must be an object with product_id and quantity, got string"
        ),
        Malformed(
            name: "no items",
            inputs: Orders.order(items: []),
            problem: "the order has no items"
        ),
        Malformed(
            name: "missing address fields",
            inputs: Orders.order(address: ["street": "123 Main St", "city": " "]),
            problem: "shipping_address is missing city, postal_code, country"
        ),
        Malformed(
            name: "payment details without a token",
            inputs: Orders.replacing("payment_details", with: ["idempotency_key": "order-1"]),
            problem: "payment_details is missing token"
        ),
        // A key is optional (without one the flow derives it from the execution), but one that is sent must
        // be a non-empty string.
        Malformed(
            name: "blank idempotency key",
            inputs: Orders.order(idempotencyKey: "  "),
            problem: #"payment_details.idempotency_key must be a non-empty string, got "  ""#
        ),
        Malformed(
            name: "idempotency key as a number",
            inputs: Orders.replacing("payment_details", with: ["token": "tok_visa_4242", "idempotency_key": 42]),
            problem: "payment_details.idempotency_key must be a non-empty string, got 42"
        ),
        Malformed(
            name: "several problems at once",
            inputs: Orders.order(items: [["product_id": "PROD-999", "quantity": -1]], address: [:]),
            problem: "item 1: unknown product PROD-999; item 1: quantity must be at least 1, got -1; shipping_address is missing street, city, postal_code, country"
        ),
    ]

    @Test(arguments: cleanFailures)
    func malformedOrderEndsInACleanBusinessFailure(_ order: Malformed) async throws {
        let scenario = try OrderScenario()
        let services = scenario.services

        let run = try await scenario.run(order.inputs)

        guard expectTerminated(run) else { return }
        expectOutput(run, "success", equals: false)
        expectOutput(run, "error", equals: "invalid_order")
        let message = try #require(run.output("message")?.stringValue)
        #expect(message.hasPrefix("Invalid order: "))
        #expect(message.contains(order.problem), "message: \(message)")
        expectNotCalled(scenario.mocks, "CheckInventory")
        expectNotCalled(scenario.mocks, "ReserveInventory")
        expectNotCalled(scenario.mocks, "ChargePayment")
        #expect(try await services.inventory.openReservations().isEmpty)
        #expect(services.payments.attempts == 0)
    }

    /// Not malformed: payment details without an idempotency key, or with `null` for one. The order goes
    /// through, charged under `<execution id>:charge`.
    @Test(arguments: [
        Orders.order(idempotencyKey: nil),
        Orders.replacing("payment_details", with: ["token": "tok_visa_4242", "idempotency_key": .null]),
    ])
    func orderWithoutAnIdempotencyKeyIsChargedUnderOneDerivedFromTheExecution(_ inputs: FlowValue) async throws {
        let scenario = try OrderScenario()
        let services = scenario.services

        let run = try await scenario.run(inputs)

        guard expectSuccess(run) else { return }
        expectOutput(run, "success", equals: true)
        expectOutput(run, "final_price", equals: 105.96)
        #expect(services.payments.charges.map(\.idempotencyKey) == ["\(run.result.executionId):charge"])
        #expect(try await services.stock("PROD-001", "PROD-002") == [498, 299])
    }

    static let wrongTypes: [Malformed] = [
        Malformed(name: "items as a string", inputs: Orders.order(items: "PROD-001 x2"), problem: "Input 'items' must be an array"),
        Malformed(name: "customer id as a number", inputs: Orders.order(customer: 12345), problem: "Input 'customer_id' must be a string"),
        Malformed(
            name: "shipping address as a string",
            inputs: Orders.order(address: "123 Main St, San Francisco"),
            problem: "Input 'shipping_address' must be an object"
        ),
        Malformed(
            name: "payment details as a list",
            inputs: Orders.replacing("payment_details", with: ["tok_visa_4242"]),
            problem: "Input 'payment_details' must be an object"
        ),
        Malformed(name: "order type as a number", inputs: Orders.order(type: 2), problem: "Input 'order_type' must be a string"),
    ]

    @Test(arguments: wrongTypes)
    func inputOfTheWrongTypeIsRejectedBeforeAnyTaskRuns(_ order: Malformed) async throws {
        let scenario = try OrderScenario()

        let error = await #expect(throws: InputValidationError.self) {
            try await scenario.run(order.inputs)
        }

        #expect(error?.problems.map(\.kind) == [.invalidType])
        #expect(error?.description.contains(order.problem) == true, "error: \(error?.description ?? "none")")
        #expect(scenario.mocks.allCalls.isEmpty)
        #expect(scenario.services.payments.attempts == 0)
    }
}
