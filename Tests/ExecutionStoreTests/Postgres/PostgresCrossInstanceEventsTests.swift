import FlowCore
import FlowPostgres
import FlowTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import OrderedCollections
import Testing

@testable import FlowServer

/// `/events` of an execution another instance runs: the stream stays open until the run ends there, then sends
/// its stored events, instead of ending at once with nothing.
@Suite(.enabled(if: TestDatabase.isAvailable, "set FLOWLANG_TEST_POSTGRES_URL (scripts/postgres-test-server.sh start)"), .timeLimit(.minutes(1)))
struct PostgresCrossInstanceEventsTests {
    @Test func eventsAskedOfAnotherInstanceArriveWhenTheRunEnds() async throws {
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
                let flow = ServedFlow(definition: try FlowLoader().load(yaml: PostgresHandOverTests.flowYAML), registry: registry)
                let here = ExecutionService(store: running, logger: TestDatabase.logger)
                let other = buildApplication(
                    catalog: FlowCatalog(flow: flow),
                    configuration: ServerConfiguration(requestLogLevel: nil),
                    store: asked,
                    logger: TestDatabase.logger
                )
                let (record, text) = try await other.test(.router) { client in
                    async let finished = here.execute(flow, inputs: [:], mode: .sync, id: "elsewhere")
                    try await reserving.arrive()
                    async let streamed = client.execute(uri: "/flows/Orders/executions/elsewhere/events", method: .get) { response in
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
    }
}
