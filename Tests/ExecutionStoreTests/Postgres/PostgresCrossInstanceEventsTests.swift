import FlowClient
import FlowCore
import FlowPostgres
import FlowTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OrderedCollections
import Testing

@testable import FlowServer

/// `/events` of an execution another instance runs: the instance running it shares its events through the store,
/// and the other streams them from there while the run goes on, then to its end.
@Suite(
    .enabled(if: TestDatabase.isAvailable, "set FLOWLANG_TEST_POSTGRES_URL (scripts/postgres-test-server.sh start)"),
    .timeLimit(.minutes(1)))
struct PostgresCrossInstanceEventsTests {
    /// Two instances on one schema: `here` runs Orders, whose `Reserve` arrives at `reserving` and then waits for
    /// `proceed`; `other`, a server on the same database, is asked for its events. The runs stream their events
    /// (`mode: .stream`), as runs whose clients learn their ids before they end do: a sync run's record may be
    /// written only with its end.
    struct Instances {
        let reserving: AsyncBarrier
        let proceed: AsyncBarrier
        let flow: ServedFlow
        let here: ExecutionService
        let other: any ApplicationProtocol
    }

    static func withInstances(_ body: (Instances) async throws -> Void) async throws {
        try await TestDatabase.withSchema { schema in
            let running = try TestDatabase.makeStore(schema: schema)
            let asked = try TestDatabase.makeStore(schema: schema)
            try await running.migrate()
            try await TestDatabase.running([running, asked]) {
                let reserving = AsyncBarrier(parties: 2)
                let proceed = AsyncBarrier(parties: 2)
                var registry = TaskRegistry()
                registry.register("Reserve") { _, _ in
                    try await reserving.arrive()
                    try await proceed.arrive()
                    return ["hold": "h-1"]
                }
                registry.register("Charge") { _, _ in ["receipt": "r-1"] }
                registry.register("Release") { _, _ in ["released": true] }
                let flow = ServedFlow(
                    definition: try FlowLoader().load(yaml: PostgresHandOverTests.flowYAML), registry: registry)
                let other = buildApplication(
                    catalog: FlowCatalog(flow: flow),
                    configuration: ServerConfiguration(requestLogLevel: nil),
                    store: asked,
                    logger: TestDatabase.logger
                )
                try await body(
                    Instances(
                        reserving: reserving, proceed: proceed, flow: flow,
                        here: ExecutionService(store: running, logger: TestDatabase.logger), other: other
                    )
                )
            }
        }
    }

    @Test func eventsAskedOfAnotherInstanceArriveWhenTheRunEnds() async throws {
        try await Self.withInstances { instances in
            let (reserving, proceed, flow, here, other) = (
                instances.reserving, instances.proceed, instances.flow, instances.here, instances.other
            )
            let (record, text) = try await other.test(.router) { client in
                async let finished = here.execute(flow, inputs: [:], mode: .stream, id: "elsewhere")
                try await reserving.arrive()
                async let streamed = client.execute(uri: "/flows/Orders/executions/elsewhere/events", method: .get) {
                    response in
                    String(buffer: response.body)
                }
                try await proceed.arrive()
                return (await finished, try await streamed)
            }
            let names = text.split(separator: "\n").filter { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
            #expect(record.status == .completed)
            #expect(names.first == "flow_started")
            #expect(names.last == "flow_completed")
            #expect(names.count == record.events.count)
        }
    }

    @Test func eventsOfARunAtAnotherInstanceArriveWhileItRuns() async throws {
        try await Self.withInstances { instances in
            let (reserving, proceed, flow, here, other) = (
                instances.reserving, instances.proceed, instances.flow, instances.here, instances.other
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await here.run() }
                try await other.test(.live) { served in
                    let port = try #require(served.port)
                    let client = try FlowClient(baseURL: "http://127.0.0.1:\(port)")
                    async let finished = here.execute(flow, inputs: [:], mode: .stream, id: "shared")
                    try await reserving.arrive()
                    var events = client.execution(flow: "Orders", id: "shared").events().makeAsyncIterator()
                    // Reserve is held at the other instance: these come from the store while it runs.
                    #expect(try await events.next()?.type == "flow_started")
                    #expect(try await events.next()?.type == "step_started")
                    try await proceed.arrive()
                    var rest: [String] = []
                    while let event = try await events.next() { rest.append(event.type) }
                    let record = await finished
                    #expect(record.status == .completed)
                    #expect(["flow_started", "step_started"] + rest == record.events.map(\.name))
                    try await client.shutdown()
                }
                group.cancelAll()
            }
        }
    }
}
