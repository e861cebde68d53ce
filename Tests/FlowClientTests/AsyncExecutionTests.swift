import FlowClient
import FlowCore
import FlowTesting
import Testing

/// `start` and the execution handle: status, result, events, cancel; the executions list.
@Suite(.timeLimit(.minutes(1)))
struct AsyncExecutionTests {
    @Test func startReturnsWhileTheRunGoesOnAndResultWaitsForItsEnd() async throws {
        let gate = TaskGate()
        try await LiveFlowServer.run(gate: gate) { port in
            try await withClient(port: port) { client in
                let handle = try await client.start(flow: "Block")
                #expect(handle.location == "/flows/Block/executions/\(handle.executionId)")
                #expect(try await gate.nextArrival() == handle.executionId)
                let running = try await handle.status()
                #expect(running.state == .running)
                #expect(running.mode == "async")
                #expect(running.endTime == nil)

                gate.openForAll()
                let result = try await handle.result()
                #expect(result.executionId == handle.executionId)
                #expect(result.outputs == ["message": "done"])
                let finished = try await handle.status()
                #expect(finished.state == .completed)
                #expect(finished.endTime != nil)
                #expect(try await handle.cancel() == false, "a finished execution cannot be cancelled")
            }
        }
    }

    @Test func cancelStopsAStartedRunAndResultReportsTheCancellation() async throws {
        let gate = TaskGate()
        try await LiveFlowServer.run(gate: gate) { port in
            try await withClient(port: port) { client in
                let handle = try await client.start(flow: "Block")
                _ = try await gate.nextArrival()
                #expect(try await handle.cancel() == true)
                await #expect(throws: FlowClientError.executionCancelled(reason: "Cancelled by user request")) {
                    try await handle.result()
                }
                let status = try await handle.status()
                #expect(status.state == .cancelled)
                #expect(status.cancelReason == "Cancelled by user request")
            }
        }
    }

    @Test func eventsReplayAFinishedExecutionAndResultDecodesOutputs() async throws {
        struct Greeting: Decodable, Sendable { var message: String }
        struct Inputs: Encodable { var user_name: String }
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                let handle = try await client.start(
                    flow: "Greet",
                    inputs: Inputs(user_name: "Ada"),
                    idempotencyKey: "greet-ada"
                )
                #expect(try await handle.result(as: Greeting.self).outputs.message == "Hello, Ada!")
                var types: [String] = []
                for try await event in handle.events() { types.append(event.type) }
                #expect(types == ["flow_started", "step_started", "step_completed", "flow_completed"])
            }
        }
    }

    @Test func resultOfAFailedStartedRunThrowsTheFailure() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                let handle = try await client.start(flow: "Greet", inputs: ["user_name": "fail"])
                await #expect(
                    throws: FlowClientError.executionFailed(
                        error: "refusing to greet fail",
                        errorType: "GreetingRefused",
                        failedStep: "greet"
                    )
                ) {
                    try await handle.result()
                }
                #expect(try await handle.status().state == .failed)
            }
        }
    }

    @Test func executionsListsEveryRunOfTheFlow() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                let first = try await client.execute(flow: "Greet", inputs: ["user_name": "Ada"])
                _ = await #expect(throws: FlowClientError.self) {
                    try await client.execute(flow: "Greet", inputs: ["user_name": "fail"])
                }
                let executions = try await client.executions(flow: "Greet")
                #expect(executions.map(\.state) == [.completed, .failed])
                #expect(executions.first?.executionId == first.executionId)
                #expect(executions.allSatisfy { $0.flow == "Greet" && $0.mode == "sync" })
                #expect(try await client.executions(flow: "Greet", limit: 1).count == 1)
                await #expect(throws: FlowClientError.flowNotFound(flow: "Nope")) {
                    try await client.executions(flow: "Nope")
                }
            }
        }
    }

    @Test func anUnknownExecutionIsExecutionNotFound() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                let missing = client.execution(flow: "Greet", id: "no-such-id")
                await #expect(throws: FlowClientError.executionNotFound(executionId: "no-such-id")) {
                    try await missing.status()
                }
                await #expect(throws: FlowClientError.executionNotFound(executionId: "no-such-id")) {
                    try await missing.cancel()
                }
                await #expect(throws: FlowClientError.executionNotFound(executionId: "no-such-id")) {
                    try await missing.result()
                }
                await #expect(throws: FlowClientError.flowNotFound(flow: "Nope")) {
                    try await client.execution(flow: "Nope", id: "no-such-id").status()
                }
            }
        }
    }
}
