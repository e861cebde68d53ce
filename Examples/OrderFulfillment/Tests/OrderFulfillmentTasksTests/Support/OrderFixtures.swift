import FlowCore
import FlowTesting
import Testing
import Foundation
@testable import OrderFulfillmentTasks

/// Orders, a harness bound to fresh services, and registry wrappers shared by the scenario and task tests.
enum Orders {
    static let flowFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("flow.yaml").path

    static let address: FlowValue = [
        "street": "123 Main St", "city": "San Francisco", "state": "CA", "postal_code": "94102", "country": "US",
    ]

    /// The walkthrough's order: PROD-001 ×2 and PROD-002 ×1 for CUST-12345, standard shipping.
    static let walkthroughItems: FlowValue = [
        ["product_id": "PROD-001", "quantity": 2],
        ["product_id": "PROD-002", "quantity": 1],
    ]

    /// The inputs of an order; every part can be replaced. A `nil` idempotency key leaves it out of
    /// `payment_details`, as a client that sends none does.
    static func order(
        customer: FlowValue = "CUST-12345",
        items: FlowValue = walkthroughItems,
        paymentMethod: FlowValue = "credit_card",
        token: String = "tok_visa_4242",
        idempotencyKey: String? = "order-test-001",
        address: FlowValue = address,
        type: FlowValue = "standard"
    ) -> FlowValue {
        [
            "customer_id": customer,
            "items": items,
            "payment_method": paymentMethod,
            "payment_details": idempotencyKey.map { ["token": .string(token), "idempotency_key": .string($0)] } ?? ["token": .string(token)],
            "shipping_address": address,
            "order_type": type,
        ]
    }

    /// `order` with the input `name` replaced by `value`, or removed when `value` is nil.
    static func replacing(_ name: String, with value: FlowValue?, in order: FlowValue = order()) -> FlowValue {
        var members = order.objectValue ?? [:]
        members[name] = value
        return .object(members)
    }
}

/// One scenario: the flow with the real tasks (optionally wrapped), fresh demo services, the test's own shop
/// database (``TestDatabase``) and a test clock.
struct OrderScenario: Sendable {
    let services: OrderServices
    let harness: FlowTestHarness

    init(
        registry: TaskRegistry = makeTaskRegistry(),
        clock: any Clock<Duration> = ImmediateClock(),
        services: OrderServices = .demo()
    ) throws {
        let database = try TestDatabase.required()
        self.services = services
        self.harness = FlowTestHarness(flow: try database.load(path: Orders.flowFile), registry: registry, clock: clock, connections: database.pools)
    }

    /// The recorded calls of every run of this scenario.
    var mocks: MockTaskRegistry { harness.mocks }

    /// Runs the flow with `inputs` against this scenario's services.
    func run(_ inputs: FlowValue, cancellation: CancellationSignal? = nil) async throws -> FlowTestRun {
        try await OrderServices.$current.withValue(services) {
            try await harness.run(inputs.objectValue ?? [:], cancellation: cancellation)
        }
    }

    /// The step ids of the run's events of `kind`, in order.
    static func steps(_ run: FlowTestRun, _ kind: ExecutionEvent.Kind) -> [String] {
        run.events(kind).compactMap { $0.stepId?.rawValue }
    }
}

extension TaskRegistry {
    /// A copy in which task `name` runs `around`, which receives the real task's handler to call.
    func wrapping(
        _ name: String,
        _ around: @escaping @Sendable (_ inputs: FlowValue, _ context: TaskContext, _ original: TaskHandler) async throws -> FlowValue
    ) -> TaskRegistry {
        guard let task = task(named: name) else { preconditionFailure("no task named \(name)") }
        var copy = self
        let original = task.handler
        copy.register(name, description: task.description) { inputs, context in try await around(inputs, context, original) }
        return copy
    }
}

/// Runs one task in a one-step flow, the way the per-task tests check a task's contract.
enum SingleTask {
    static func run<T: FlowTask>(
        _ task: T.Type,
        named name: String,
        inputs: FlowValue,
        services: OrderServices = .demo()
    ) async throws -> FlowTestRun {
        var registry = TaskRegistry()
        registry.add(task, named: name)
        let database = try TestDatabase.required()
        let flow = try database.load(
            yaml: """
                flow: \(name)Check
                connections:
                  db:
                    url: ${env.DATABASE_URL}
                steps:
                  - task: \(name)
                    id: result
                    connection: db
                    inputs: \(inputs.jsonText)
                outputs:
                  - name: result
                """
        )
        let harness = FlowTestHarness(flow: flow, registry: registry, connections: database.pools)
        return try await OrderServices.$current.withValue(services) { try await harness.run() }
    }

    /// The task's result, or null when it failed.
    static func result<T: FlowTask>(
        _ task: T.Type,
        named name: String,
        inputs: FlowValue,
        services: OrderServices = .demo()
    ) async throws -> FlowValue {
        try await run(task, named: name, inputs: inputs, services: services).output("result") ?? .null
    }
}

/// Expects a task result to equal `expected`: objects regardless of key order (typed outputs come back with
/// sorted keys), numbers by value.
func expectResult(_ actual: FlowValue, equals expected: FlowValue, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    func same(_ actual: FlowValue, _ expected: FlowValue) -> Bool {
        switch (actual, expected) {
        case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
            return actual.doubleValue == expected.doubleValue
        case (.array(let actual), .array(let expected)):
            return actual.count == expected.count && zip(actual, expected).allSatisfy { same($0, $1) }
        case (.object(let actual), .object(let expected)):
            return actual.count == expected.count && expected.allSatisfy { key, value in actual[key].map { same($0, value) } ?? false }
        default:
            return actual == expected
        }
    }
    if !same(actual, expected) {
        Issue.record("result is \(actual.jsonText), expected \(expected.jsonText)", sourceLocation: sourceLocation)
    }
}
