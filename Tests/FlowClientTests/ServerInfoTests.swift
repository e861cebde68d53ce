import FlowClient
import FlowCore
import Testing

/// `health`, `flows` and `flowInfo`.
@Suite(.timeLimit(.minutes(1)))
struct ServerInfoTests {
    @Test func healthReportsReadinessAndPendingTasks() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                let health = try await client.health()
                #expect(health.status == "healthy")
                #expect(health.isReady == false, "Pending calls a stub")
                #expect(health.pendingTasks == ["Later"])
                #expect(health.executionsRunning == 0)
                #expect(health.json["server_type"] == "multi-flow")
            }
        }
    }

    @Test func flowsListsEveryServedFlowWithItsInputsAndOutputs() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                let flows = try await client.flows()
                #expect(Set(flows.map(\.name)) == ["Greet", "Block", "Pending"])
                let greet = try #require(flows.first { $0.name == "Greet" })
                #expect(greet.description == "Greets a user")
                #expect(greet.inputs.map(\.name) == ["user_name"])
                #expect(greet.inputs.first?.type == "string")
                #expect(greet.inputs.first?.required == true)
                #expect(greet.outputs.map(\.name) == ["message"])
                #expect(greet.outputs.first?.value == "${greet.greeting}")
            }
        }
    }

    @Test func flowInfoDescribesOneFlowAndItsReadiness() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                let greet = try await client.flowInfo(flow: "Greet")
                #expect(greet.name == "Greet")
                #expect(greet.isReady == true)
                #expect(try await client.flowInfo(flow: "Pending").isReady == false)
                await #expect(throws: FlowClientError.flowNotFound(flow: "Nope")) {
                    try await client.flowInfo(flow: "Nope")
                }
            }
        }
    }

    @Test func namesAreSentPercentEncodedAsOnePathSegment() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                await #expect(throws: FlowClientError.flowNotFound(flow: "Greet/../Block x")) {
                    try await client.flowInfo(flow: "Greet/../Block x")
                }
                await #expect(throws: FlowClientError.executionNotFound(executionId: "a/b?c")) {
                    try await client.execution(flow: "Greet", id: "a/b?c").status()
                }
            }
        }
    }
}
