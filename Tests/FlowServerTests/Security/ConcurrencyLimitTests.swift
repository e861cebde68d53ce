import FlowCore
import FlowTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import FlowServer

/// `MAX_CONCURRENT_EXECUTIONS`: execute requests and webhook calls beyond the limit are refused with 503 and
/// `Retry-After`.
@Suite(.timeLimit(.minutes(1)))
struct ConcurrencyLimitTests {
    static let flow = """
        flow: Held
        steps:
          - task: Hold
            id: hold
        """

    static func webhookFlow(async: Bool = false) -> String {
        """
        flow: Hooked
        steps:
          - task: Hold
            id: hold
        triggers:
          - {type: webhook, path: /hooks/hold, async: \(async)}
        """
    }

    static func app(limit: Int, gate: TaskGate, yaml: String = flow) throws -> some ApplicationProtocol {
        var registry = TaskRegistry()
        gate.register("Hold", in: &registry, returning: ["held": true])
        var configuration = TestFlowServer.configuration()
        configuration.maxConcurrentExecutions = limit
        return try TestFlowServer.single(yaml, registry: registry, configuration: configuration)
    }

    @Test func beyondTheLimitIs503WithRetryAfterAndOthersStillRun() async throws {
        let gate = TaskGate()
        try await Self.app(limit: 2, gate: gate).test(.router) { client async throws in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<2 { group.addTask { try await client.executeFlow("Held").status } }
                await gate.waitForArrivals(2)

                let refused = try await client.executeFlow("Held")
                #expect(refused.status == .serviceUnavailable)
                #expect(refused.headers[.retryAfter] == "1")
                #expect(try refused.json()["error"] == "Too many executions running (limit 2); retry shortly")
                let stream = try await client.streamFlow("Held")
                #expect(stream.status == .serviceUnavailable)
                // Other routes are not limited.
                #expect(try await client.get("/flows/Held").status == .ok)

                gate.openForAll()
                for try await status in group { #expect(status == .ok) }
            }
            // Capacity is back once they finished.
            #expect(try await client.executeFlow("Held").status == .ok)
        }
    }

    @Test func asynchronousExecutionsCountWhileTheyRun() async throws {
        let gate = TaskGate()
        try await Self.app(limit: 1, gate: gate).test(.router) { client async throws in
            let started = try await client.executeFlow("Held", headers: [.testPrefer: "respond-async"])
            #expect(started.status == .accepted)
            await gate.waitForArrivals(1)
            #expect(try await client.executeFlow("Held").status == .serviceUnavailable)
            gate.openForAll()
            let id = try #require(started.executionId)
            _ = try await client.poll("/flows/Held/executions/\(id)") { $0["status"] == "completed" }
            _ = try await client.poll("/health") { $0["executions_running"] == 0 }
            #expect(try await client.executeFlow("Held").status == .ok)
        }
    }
}

extension ConcurrencyLimitTests {
    @Test func webhookCallsAreRefusedBeyondTheLimitAndCountAgainstIt() async throws {
        let gate = TaskGate()
        try await Self.app(limit: 1, gate: gate, yaml: Self.webhookFlow()).test(.router) { client async throws in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                group.addTask { try await client.execute(uri: "/hooks/hold", method: .post).status }
                await gate.waitForArrivals(1)

                let refused = try await client.execute(uri: "/hooks/hold", method: .post)
                #expect(refused.status == .serviceUnavailable)
                #expect(refused.headers[.retryAfter] == "1")
                // The running webhook execution counts against execute requests too.
                #expect(try await client.executeFlow("Hooked").status == .serviceUnavailable)

                gate.openForAll()
                for try await status in group { #expect(status == .ok) }
            }
            #expect(try await client.execute(uri: "/hooks/hold", method: .post).status == .ok)
        }
    }

    @Test func anAsynchronousWebhookRunCountsFromItsAnswerUntilItEnds() async throws {
        let gate = TaskGate()
        try await Self.app(limit: 1, gate: gate, yaml: Self.webhookFlow(async: true)).test(.router) {
            client async throws in
            let accepted = try await client.execute(uri: "/hooks/hold", method: .post)
            #expect(accepted.status == .accepted)
            // Refused at once, whether or not the background run has reached its task yet.
            #expect(try await client.execute(uri: "/hooks/hold", method: .post).status == .serviceUnavailable)
            #expect(try await client.executeFlow("Hooked").status == .serviceUnavailable)
            await gate.waitForArrivals(1)
            gate.openForAll()
            let id = try #require(try accepted.json()["execution_id"]?.stringValue)
            _ = try await client.poll("/flows/Hooked/executions/\(id)") { $0["status"] == "completed" }
            _ = try await client.poll("/health") { $0["executions_running"] == 0 }
            #expect(try await client.execute(uri: "/hooks/hold", method: .post).status == .accepted)
        }
    }

    @Test func requestsBeingReadCountTogetherWithRunningExecutionsAgainstOneLimit() async throws {
        let admission = ExecutionAdmission(limit: 3)
        // Two asynchronous runs going: their requests were answered, their permits are claimed.
        var running: [ExecutionPermit] = []
        for _ in 0..<2 {
            try await admission.admitted { running.append(try #require(ExecutionPermit.current).claim()) }
        }
        #expect(admission.heldCount == 2)
        try await admission.admitted {
            // One request still reading its body takes the last permit: the next is refused.
            #expect(admission.heldCount == 3)
            await #expect(throws: APIError.self) { try await admission.admitted {} }
        }
        #expect(admission.heldCount == 2)
        for permit in running { permit.release() }
        #expect(admission.heldCount == 0)
    }

    @Test func aPermitIsReturnedOnceWhetherReleasedTwiceOrDroppedUnreleased() async throws {
        let admission = ExecutionAdmission(limit: 1)
        var claimed: ExecutionPermit?
        try await admission.admitted { claimed = ExecutionPermit.current?.claim() }
        #expect(admission.heldCount == 1)
        claimed?.release()
        claimed?.release()
        #expect(admission.heldCount == 0)
        try await admission.admitted { claimed = ExecutionPermit.current?.claim() }
        claimed = nil
        #expect(admission.heldCount == 0)
    }

    @Test func executionsNoRequestAdmittedCountWithoutBeingRefused() {
        let admission = ExecutionAdmission(limit: 1)
        let first = admission.unconditionalPermit()
        let second = admission.unconditionalPermit()
        #expect(admission.heldCount == 2)
        first?.release()
        second?.release()
        #expect(admission.heldCount == 0)
        #expect(ExecutionAdmission(limit: nil).unconditionalPermit() == nil)
    }

    @Test func aStreamedRunCountsUntilItsStreamEnds() async throws {
        let gate = TaskGate()
        try await Self.app(limit: 1, gate: gate).test(.router) { client async throws in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                group.addTask { try await client.streamFlow("Held").status }
                await gate.waitForArrivals(1)
                #expect(try await client.executeFlow("Held").status == .serviceUnavailable)
                #expect(try await client.streamFlow("Held").status == .serviceUnavailable)
                gate.openForAll()
                for try await status in group { #expect(status == .ok) }
            }
            _ = try await client.poll("/health") { $0["executions_running"] == 0 }
            #expect(try await client.executeFlow("Held").status == .ok)
        }
    }

    @Test func atTheLimitOnlyTheExecuteRoutesAreRefusedWithOrWithoutAVersion() async throws {
        let gate = TaskGate()
        var registry = TaskRegistry()
        gate.register("Hold", in: &registry, returning: ["held": true])
        var configuration = TestFlowServer.configuration()
        configuration.maxConcurrentExecutions = 1
        let held = ServedFlow(definition: try TestFlowServer.flow(Self.flow), registry: registry, version: "v2")
        try await TestFlowServer.multi([held], configuration: configuration).test(.router) { client async throws in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                group.addTask { try await client.executeFlow("Held").status }
                await gate.waitForArrivals(1)
                for path in ["/flows/Held/execute", "/v2/flows/Held/execute", "/v2/flows/Held/execute/stream"] {
                    #expect(try await client.post(path, body: #"{"inputs":{}}"#).status == .serviceUnavailable)
                }
                #expect(try await client.get("/v2/flows/Held").status == .ok)
                #expect(try await client.get("/v2/flows/Held/executions").status == .ok)
                let cancel = try await client.post("/v2/flows/Held/cancel", body: #"{"execution_id":"none"}"#)
                #expect(cancel.status == .notFound)
                gate.openForAll()
                for try await status in group { #expect(status == .ok) }
            }
        }
    }
}
