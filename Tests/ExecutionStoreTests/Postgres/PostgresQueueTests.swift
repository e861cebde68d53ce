import FlowCore
import FlowPostgres
import FlowTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OrderedCollections
import Testing

@testable import FlowServer

/// Asynchronous runs an instance has no room for (`MAX_CONCURRENT_EXECUTIONS`) are queued in PostgreSQL and run by
/// an instance with room, instead of being refused; a queued run cancelled before any instance took it ends
/// cancelled without running.
@Suite(
    .enabled(if: TestDatabase.isAvailable, "set FLOWLANG_TEST_POSTGRES_URL (scripts/postgres-test-server.sh start)"),
    .timeLimit(.minutes(1)))
struct PostgresQueueTests {
    static let flowYAML = """
        flow: Jobs
        inputs:
          - name: hold
            type: boolean
        steps:
          - task: Work
            id: work
            inputs: {hold: "${inputs.hold}"}
        outputs:
          - name: done_by
            value: ${work.instance}
        """

    /// `Work` answers with `instance`; with `hold: true` it arrives at `holding` and then waits for `release`,
    /// otherwise at `started` and then at `proceed`.
    struct Gates {
        let holding = AsyncBarrier(parties: 2)
        let release = AsyncBarrier(parties: 2)
        let started = AsyncBarrier(parties: 2)
        let proceed = AsyncBarrier(parties: 2)

        func flow(instance: String) throws -> ServedFlow {
            var registry = TaskRegistry()
            registry.register("Work") { inputs, _ in
                if inputs["hold"] == true {
                    try await holding.arrive()
                    try await release.arrive()
                } else {
                    try await started.arrive()
                    try await proceed.arrive()
                }
                return ["instance": .string(instance)]
            }
            return ServedFlow(definition: try FlowLoader().load(yaml: PostgresQueueTests.flowYAML), registry: registry)
        }
    }

    /// Starts a run of Jobs through `client`, answering the response's status and execution id.
    static func start(hold: Bool, wait: Bool, _ client: some TestClientProtocol) async throws -> (
        HTTPResponse.Status, ExecutionID?
    ) {
        try await client.execute(
            uri: "/flows/Jobs/execute?wait=\(wait)",
            method: .post,
            headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"inputs":{"hold":\#(hold)}}"#)
        ) { response in
            let body =
                try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
            return (response.status, (body?["execution_id"] as? String).map(ExecutionID.init(rawValue:)))
        }
    }

    /// Runs `body` with a server allowed one execution at a time on a new schema (`busy`), a second store on the
    /// same schema, and the gates of both instances' flows.
    static func withBusyInstance(
        _ body: (
            _ busy: any ApplicationProtocol, _ busyStore: PostgresExecutionStore, _ other: PostgresExecutionStore, Gates
        ) async throws -> Void
    ) async throws {
        try await TestDatabase.withSchema { schema in
            let busyStore = try TestDatabase.makeStore(schema: schema)
            let otherStore = try TestDatabase.makeStore(schema: schema)
            try await busyStore.migrate()
            try await TestDatabase.running([busyStore, otherStore]) {
                let gates = Gates()
                let busy = buildApplication(
                    catalog: FlowCatalog(flow: try gates.flow(instance: "busy")),
                    configuration: ServerConfiguration(requestLogLevel: nil, maxConcurrentExecutions: 1),
                    store: busyStore,
                    logger: TestDatabase.logger
                )
                try await body(busy, busyStore, otherStore, gates)
            }
        }
    }

    @Test func asyncRunsBeyondAFullInstancesLimitAreQueuedAndRunByAnInstanceWithRoom() async throws {
        try await Self.withBusyInstance { busy, busyStore, freeStore, gates in
            let free = ExecutionService(
                store: freeStore, logger: TestDatabase.logger,
                catalog: FlowCatalog(flow: try gates.flow(instance: "free"))
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await free.run() }
                try await busy.test(.live) { client in
                    let (heldStatus, _) = try await Self.start(hold: true, wait: false, client)
                    #expect(heldStatus == .accepted)
                    try await gates.holding.arrive()

                    let (queuedStatus, queuedId) = try await Self.start(hold: false, wait: false, client)
                    #expect(queuedStatus == .accepted, "queued, not refused")
                    let (syncStatus, _) = try await Self.start(hold: false, wait: true, client)
                    #expect(syncStatus == .serviceUnavailable, "a client waiting for its result is still refused")

                    let id = try #require(queuedId)
                    try await gates.started.arrive()
                    let following = try #require(free.follow(id: id), "the instance with room runs it")
                    try await gates.proceed.arrive()
                    await following.untilEnded()
                    let record = try #require(try await busyStore.record(id: id))
                    #expect(record.status == .completed)
                    #expect(record.result?.outputs["done_by"] == "free")
                    try await gates.release.arrive()
                }
                group.cancelAll()
            }
        }
    }

    @Test func aQueuedRunCancelledBeforeAnInstanceTookItEndsCancelledWithoutRunning() async throws {
        try await Self.withBusyInstance { busy, _, laterStore, gates in
            try await busy.test(.live) { client in
                _ = try await Self.start(hold: true, wait: false, client)
                try await gates.holding.arrive()
                let id = try #require(try await Self.start(hold: false, wait: false, client).1)
                let cancelled = try await client.execute(uri: "/flows/Jobs/executions/\(id)/cancel", method: .post) {
                    $0.status
                }
                #expect(cancelled == .ok)

                #expect(try await laterStore.claimInterrupted(maxResumes: 5, at: Date()).isEmpty)
                let record = try #require(try await laterStore.record(id: id))
                #expect(record.status == .cancelled)
                #expect(record.events.map(\.name) == ["flow_cancelled"], "it never ran, and its events say it ended")
                #expect(record.events.first?.data["reason"]?.stringValue == record.cancelReason)
                try await gates.release.arrive()
            }
        }
    }
}
