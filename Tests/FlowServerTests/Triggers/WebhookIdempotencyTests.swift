import FlowCore
import FlowServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// `Idempotency-Key` on webhooks: a sender retrying a delivery gets the first execution, never a second run.
@Suite struct WebhookIdempotencyTests {
    static let key = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!
    static let executionId = HTTPField.Name("X-Execution-Id")!

    /// How many times `Process` ran.
    final class Calls: Sendable {
        private let count = Mutex(0)

        func add() { count.withLock { $0 += 1 } }

        var total: Int { count.withLock { $0 } }
    }

    /// `Process`, counting its calls.
    static func registry(calls: Calls) -> TaskRegistry {
        var registry = TaskRegistry()
        registry.register("Process") { inputs, _ in
            calls.add()
            return ["result": .string("Processed: \(inputs["order_id"]?.stringValue ?? "")")]
        }
        return registry
    }

    @Test(arguments: [false, true])
    func aDeliveryRepeatedWithItsKeyGetsTheFirstExecutionAndRunsNothing(async: Bool) async throws {
        let calls = Calls()
        let flow = try WebhookTriggerTests.ordersFlow(
            triggers: "  - {type: webhook, path: /webhooks/orders, async: \(async)}")
        try await TriggerFixtures.application([flow], registry: Self.registry(calls: calls)).test(.router) { client in
            var ids: [String] = []
            for attempt in 0..<3 {
                try await client.execute(
                    uri: "/webhooks/orders", method: .post, headers: [Self.key: "delivery-7"],
                    body: ByteBuffer(string: #"{"order_id": "A1"}"#)
                ) { response in
                    #expect(response.status == (async ? .accepted : .ok))
                    #expect(response.headers[Self.replayed] == (attempt == 0 ? nil : "true"))
                    ids.append(try #require(response.headers[Self.executionId]))
                }
            }
            #expect(Set(ids).count == 1)
            try await client.execute(uri: "/flows/Orders/executions/\(ids[0])", method: .get) { response in
                let record = try TriggerFixtures.json(response)
                #expect(record["mode"] == "webhook")
            }
        }
        #expect(calls.total == 1)
    }

    @Test func theKeyWithOtherInputsIs422NamingItAndTheExecutionThatHasIt() async throws {
        let calls = Calls()
        let flow = try WebhookTriggerTests.ordersFlow(triggers: "  - {type: webhook, path: /webhooks/orders}")
        try await TriggerFixtures.application([flow], registry: Self.registry(calls: calls)).test(.router) { client in
            let first = try await client.execute(
                uri: "/webhooks/orders", method: .post, headers: [Self.key: "delivery-8"],
                body: ByteBuffer(string: #"{"order_id": "A1"}"#)
            ) { response in try #require(response.headers[Self.executionId]) }
            try await client.execute(
                uri: "/webhooks/orders", method: .post, headers: [Self.key: "delivery-8"],
                body: ByteBuffer(string: #"{"order_id": "B2"}"#)
            ) { response in
                #expect(response.status == .unprocessableContent)
                let body = try TriggerFixtures.json(response)
                #expect(body["success"] == false)
                let message = body["error"]?.stringValue ?? ""
                #expect(message.contains("Idempotency-Key 'delivery-8' was already used for execution \(first)"))
            }
        }
        #expect(calls.total == 1)
    }

    @Test func aMalformedKeyIs422() async throws {
        let flow = try WebhookTriggerTests.ordersFlow(triggers: "  - {type: webhook, path: /webhooks/orders}")
        try await TriggerFixtures.application([flow], registry: Self.registry(calls: Calls())).test(.router) { client in
            try await client.execute(
                uri: "/webhooks/orders", method: .post, headers: [Self.key: "has spaces"],
                body: ByteBuffer(string: #"{"order_id": "A1"}"#)
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(
                    String(buffer: response.body).contains(
                        "Idempotency-Key must be 1 to 255 printable ASCII characters"))
            }
        }
    }
}
