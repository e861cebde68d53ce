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

    static func app(limit: Int, gate: HoldGate, yaml: String = flow) throws -> some ApplicationProtocol {
        var registry = TaskRegistry()
        gate.register(in: &registry)
        var configuration = TestFlowServer.configuration()
        configuration.maxConcurrentExecutions = limit
        return try TestFlowServer.single(yaml, registry: registry, configuration: configuration)
    }

    @Test func beyondTheLimitIs503WithRetryAfterAndOthersStillRun() async throws {
        let gate = HoldGate()
        try await Self.app(limit: 2, gate: gate).test(.router) { client async throws in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<2 { group.addTask { try await client.executeFlow("Held").status } }
                await gate.waitForHolders(2)

                let refused = try await client.executeFlow("Held")
                #expect(refused.status == .serviceUnavailable)
                #expect(refused.headers[.retryAfter] == "1")
                #expect(try refused.json()["error"] == "Too many executions running (limit 2); retry shortly")
                let stream = try await client.streamFlow("Held")
                #expect(stream.status == .serviceUnavailable)
                // Other routes are not limited.
                #expect(try await client.get("/flows/Held").status == .ok)

                gate.release()
                for try await status in group { #expect(status == .ok) }
            }
            // Capacity is back once they finished.
            #expect(try await client.executeFlow("Held").status == .ok)
        }
    }

    @Test func asynchronousExecutionsCountWhileTheyRun() async throws {
        let gate = HoldGate()
        try await Self.app(limit: 1, gate: gate).test(.router) { client async throws in
            let started = try await client.executeFlow("Held", headers: [.testPrefer: "respond-async"])
            #expect(started.status == .accepted)
            await gate.waitForHolders(1)
            #expect(try await client.executeFlow("Held").status == .serviceUnavailable)
            gate.release()
            let id = try #require(started.executionId)
            _ = try await client.poll("/flows/Held/executions/\(id)") { $0["status"] == "completed" }
            _ = try await client.poll("/health") { $0["executions_running"] == 0 }
            #expect(try await client.executeFlow("Held").status == .ok)
        }
    }
}

extension ConcurrencyLimitTests {
    @Test func webhookCallsAreRefusedBeyondTheLimitAndCountAgainstIt() async throws {
        let gate = HoldGate()
        try await Self.app(limit: 1, gate: gate, yaml: Self.webhookFlow()).test(.router) { client async throws in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                group.addTask { try await client.execute(uri: "/hooks/hold", method: .post).status }
                await gate.waitForHolders(1)

                let refused = try await client.execute(uri: "/hooks/hold", method: .post)
                #expect(refused.status == .serviceUnavailable)
                #expect(refused.headers[.retryAfter] == "1")
                // The running webhook execution counts against execute requests too.
                #expect(try await client.executeFlow("Hooked").status == .serviceUnavailable)

                gate.release()
                for try await status in group { #expect(status == .ok) }
            }
            #expect(try await client.execute(uri: "/hooks/hold", method: .post).status == .ok)
        }
    }

    @Test func anAsynchronousWebhookRunCountsFromItsAnswerUntilItEnds() async throws {
        let gate = HoldGate()
        try await Self.app(limit: 1, gate: gate, yaml: Self.webhookFlow(async: true)).test(.router) {
            client async throws in
            let accepted = try await client.execute(uri: "/hooks/hold", method: .post)
            #expect(accepted.status == .accepted)
            // Refused at once, whether or not the background run has reached its task yet.
            #expect(try await client.execute(uri: "/hooks/hold", method: .post).status == .serviceUnavailable)
            #expect(try await client.executeFlow("Hooked").status == .serviceUnavailable)
            await gate.waitForHolders(1)
            gate.release()
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
        let gate = HoldGate()
        try await Self.app(limit: 1, gate: gate).test(.router) { client async throws in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                group.addTask { try await client.streamFlow("Held").status }
                await gate.waitForHolders(1)
                #expect(try await client.executeFlow("Held").status == .serviceUnavailable)
                #expect(try await client.streamFlow("Held").status == .serviceUnavailable)
                gate.release()
                for try await status in group { #expect(status == .ok) }
            }
            _ = try await client.poll("/health") { $0["executions_running"] == 0 }
            #expect(try await client.executeFlow("Held").status == .ok)
        }
    }

    @Test func atTheLimitOnlyTheExecuteRoutesAreRefusedWithOrWithoutAVersion() async throws {
        let gate = HoldGate()
        var registry = TaskRegistry()
        gate.register(in: &registry)
        var configuration = TestFlowServer.configuration()
        configuration.maxConcurrentExecutions = 1
        let held = ServedFlow(definition: try TestFlowServer.flow(Self.flow), registry: registry, version: "v2")
        try await TestFlowServer.multi([held], configuration: configuration).test(.router) { client async throws in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                group.addTask { try await client.executeFlow("Held").status }
                await gate.waitForHolders(1)
                for path in ["/flows/Held/execute", "/v2/flows/Held/execute", "/v2/flows/Held/execute/stream"] {
                    #expect(try await client.post(path, body: #"{"inputs":{}}"#).status == .serviceUnavailable)
                }
                #expect(try await client.get("/v2/flows/Held").status == .ok)
                #expect(try await client.get("/v2/flows/Held/executions").status == .ok)
                let cancel = try await client.post("/v2/flows/Held/cancel", body: #"{"execution_id":"none"}"#)
                #expect(cancel.status == .notFound)
                gate.release()
                for try await status in group { #expect(status == .ok) }
            }
        }
    }
}

/// A task that holds until released, and tells the test how many are holding.
final class HoldGate: Sendable {
    private struct State {
        var holders = 0
        var isReleased = false
        var waiting: [CheckedContinuation<Void, Never>] = []
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    func register(in registry: inout TaskRegistry) {
        registry.register("Hold") { [self] _, _ in
            await hold()
            return ["held": true]
        }
    }

    private func hold() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (resumeNow, ready) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                state.holders += 1
                let ready = state.watchers.filter { $0.count <= state.holders }.map(\.continuation)
                state.watchers.removeAll { $0.count <= state.holders }
                if state.isReleased { return (true, ready) }
                state.waiting.append(continuation)
                return (false, ready)
            }
            for watcher in ready { watcher.resume() }
            if resumeNow { continuation.resume() }
        }
    }

    /// Waits until `count` tasks have started holding.
    func waitForHolders(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.holders >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Lets every holder, present and future, go on.
    func release() {
        let waiting = state.withLock { state in
            state.isReleased = true
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
