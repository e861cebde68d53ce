import FlowCore
import FlowTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OrderedCollections
import Synchronization
import Testing

@testable import FlowServer

/// `Idempotency-Key` on execute: a retried request gets the first execution, never a second run.
@Suite struct IdempotencyKeyTests {
    static let flow = """
        flow: Charge
        inputs:
          - name: amount
            type: integer
            required: true
        steps:
          - task: ChargeCard
            id: charge
            inputs: {amount: "${inputs.amount}"}
        outputs:
          - name: charged
            value: ${charge.charged}
        """

    /// How many times ChargeCard ran.
    final class Calls: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        func withLock<R>(_ body: (inout Int) -> R) -> R { count.withLock { body(&$0) } }
    }

    /// An app whose ChargeCard task counts its calls.
    static func app(calls: Calls) throws -> some ApplicationProtocol {
        var registry = TaskRegistry()
        registry.register("ChargeCard") { inputs, _ in
            calls.add()
            return ["charged": inputs["amount"] ?? .null]
        }
        return try TestFlowServer.single(flow, registry: registry)
    }

    static let key = HTTPField.Name("Idempotency-Key")!

    @Test func aRetriedSynchronousExecuteGetsTheFirstResultWithoutRunningAgain() async throws {
        let calls = Calls()
        try await Self.app(calls: calls).test(.router) { client in
            let first = try await client.executeFlow("Charge", inputs: ["amount": 5], headers: [Self.key: "order-1"])
            let second = try await client.executeFlow("Charge", inputs: ["amount": 5], headers: [Self.key: "order-1"])
            #expect(first.status == .ok)
            #expect(second.status == .ok)
            #expect(second.executionId == first.executionId)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(try second.json()["outputs"] == ["charged": 5])
            #expect(calls.withLock { $0 } == 1)
            let other = try await client.executeFlow("Charge", inputs: ["amount": 5], headers: [Self.key: "order-2"])
            #expect(other.executionId != first.executionId)
            #expect(calls.withLock { $0 } == 2)
        }
    }

    @Test func theSameKeyWithOtherInputsIsRefusedWith422NamingIt() async throws {
        let calls = Calls()
        try await Self.app(calls: calls).test(.router) { client in
            let first = try await client.executeFlow("Charge", inputs: ["amount": 5], headers: [Self.key: "order-1"])
            let changed = try await client.executeFlow("Charge", inputs: ["amount": 6], headers: [Self.key: "order-1"])
            #expect(changed.status == .unprocessableContent)
            let message = try #require(try changed.json()["error"]?.stringValue)
            #expect(
                message.contains("Idempotency-Key 'order-1' was already used for execution \(first.executionId ?? "")"))
            #expect(calls.withLock { $0 } == 1)
        }
    }

    @Test func concurrentRequestsWithOneKeyMakeOneRun() async throws {
        let calls = Calls()
        try await Self.app(calls: calls).test(.router) { client in
            let ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let query = index.isMultiple(of: 2) ? "" : "?wait=false"
                        return try await client.executeFlow(
                            "Charge", inputs: ["amount": 5], query: query, headers: [Self.key: "k"]
                        )
                        .executionId
                    }
                }
                return try await group.reduce(into: Set<String?>()) { $0.insert($1) }
            }
            #expect(ids.count == 1)
            let id = try #require(ids.first ?? nil)
            _ = try await client.poll("/flows/Charge/executions/\(id)") { $0["status"] == "completed" }
            #expect(calls.withLock { $0 } == 1)
        }
    }

    @Test func anAsynchronousRetryGetsTheFirstExecutionsStatusURL() async throws {
        let calls = Calls()
        try await Self.app(calls: calls).test(.router) { client in
            let first = try await client.executeFlow(
                "Charge", inputs: ["amount": 5], query: "?wait=false", headers: [Self.key: "a"])
            let id = try #require(first.executionId)
            _ = try await client.poll("/flows/Charge/executions/\(id)") { $0["status"] == "completed" }
            let retry = try await client.executeFlow(
                "Charge", inputs: ["amount": 5], query: "?wait=false", headers: [Self.key: "a"])
            #expect(retry.status == .accepted)
            #expect(retry.executionId == id)
            #expect(try retry.json()["status"] == "completed")
            #expect(try retry.json()["status_url"] == .string("/flows/Charge/executions/\(id)"))
            #expect(calls.withLock { $0 } == 1)
        }
    }

    @Test func aRetriedStreamReplaysTheFirstRunsEvents() async throws {
        let calls = Calls()
        try await Self.app(calls: calls).test(.router) { client in
            let body = FlowValue.object(["inputs": ["amount": 5]]).jsonText
            let first = try await client.post("/flows/Charge/execute/stream", body: body, headers: [Self.key: "s"])
            let retry = try await client.post("/flows/Charge/execute/stream", body: body, headers: [Self.key: "s"])
            #expect(retry.status == .ok)
            #expect(retry.executionId == first.executionId)
            #expect(SSEText.eventNames(retry.text) == SSEText.eventNames(first.text))
            #expect(SSEText.eventNames(retry.text).last == "flow_completed")
            #expect(calls.withLock { $0 } == 1)
        }
    }

    @Test(arguments: ["", String(repeating: "k", count: 256), "two words"])
    func aMalformedKeyIsRefusedWith422NamingTheHeader(key: String) async throws {
        let calls = Calls()
        try await Self.app(calls: calls).test(.router) { client in
            let response = try await client.executeFlow("Charge", inputs: ["amount": 5], headers: [Self.key: key])
            #expect(response.status == .unprocessableContent)
            #expect(try response.json()["error"]?.stringValue?.hasPrefix("Idempotency-Key must be") == true)
            #expect(calls.withLock { $0 } == 0)
        }
    }
}
