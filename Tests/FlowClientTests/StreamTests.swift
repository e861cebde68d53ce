import FlowClient
import FlowCore
import FlowTesting
import Testing

/// `stream`: events in the order the run emits them, failures as events, errors before the stream opens, and
/// cancellation that reaches the server.
@Suite(.timeLimit(.minutes(1)))
struct StreamTests {
    @Test func eventsArriveInTheOrderTheRunEmitsThem() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                var events: [FlowEvent] = []
                for try await event in client.stream(flow: "Greet", inputs: ["user_name": "Ada"]) {
                    events.append(event)
                }
                #expect(events.map(\.type) == ["flow_started", "step_started", "step_completed", "flow_completed"])
                #expect(events[1].stepId == "greet")
                #expect(events[2].data["outputs"] == ["greeting": "Hello, Ada!"])
                #expect(events.last?.data["outputs"] == ["message": "Hello, Ada!"])
                #expect(events.last?.isFinal == true)
                #expect(events.filter(\.isFinal).count == 1)
                let id = try #require(events.first?.executionId)
                #expect(events.allSatisfy { $0.executionId == id })
                #expect(try await client.execution(flow: "Greet", id: id).status().mode == "stream")
            }
        }
    }

    @Test func aFailingRunEndsWithItsFlowFailedEventWithoutThrowing() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                var types: [String] = []
                var last: FlowEvent?
                for try await event in client.stream(flow: "Greet", inputs: ["user_name": "fail"]) {
                    types.append(event.type)
                    last = event
                }
                #expect(types == ["flow_started", "step_started", "step_failed", "flow_failed"])
                #expect(last?.data["error_type"] == "GreetingRefused")
                #expect(last?.data["failed_step"] == "greet")
            }
        }
    }

    @Test func streamErrorsBeforeTheFirstEventAreTyped() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                await #expect(throws: FlowClientError.flowNotFound(flow: "Nope")) {
                    for try await _ in client.stream(flow: "Nope") {}
                }
                // A stream that is not ready answers 503 with one `event: error`, which names the pending tasks.
                await #expect(throws: FlowClientError.notReady(pendingTasks: ["Later"])) {
                    for try await _ in client.stream(flow: "Pending") {}
                }
                let error = await #expect(throws: FlowClientError.self) {
                    for try await _ in client.stream(flow: "Greet", inputs: ["user_name": 42]) {}
                }
                guard case .validation(let detail)? = error else {
                    Issue.record("expected validation, got \(String(describing: error))")
                    return
                }
                #expect(detail.arrayValue?.first?["type"] == "string_type")
                await #expect(throws: FlowClientError.invalidInputs("inputs must encode as a JSON object, not string"))
                {
                    for try await _ in client.stream(flow: "Greet", inputs: "Ada") {}
                }
            }
        }
    }

    @Test func cancellingTheConsumingTaskCancelsTheRunOnTheServer() async throws {
        let gate = TaskGate()
        try await LiveFlowServer.run(gate: gate) { port in
            try await withClient(port: port) { client in
                let (seen, see) = AsyncStream.makeStream(of: FlowEvent.self)
                let consumer = Task {
                    for try await event in client.stream(flow: "Block") { see.yield(event) }
                }
                var events: [FlowEvent] = []
                for await event in seen {
                    events.append(event)
                    if event.type == "step_started" && event.stepId == "block" { break }
                }
                let id = try #require(events.first?.executionId)
                #expect(try await gate.nextArrival() == id)
                consumer.cancel()
                await #expect(throws: CancellationError.self) { try await consumer.value }

                let execution = client.execution(flow: "Block", id: id)
                await #expect(throws: FlowClientError.executionCancelled(reason: "Cancelled by user request")) {
                    try await execution.result()
                }
                let status = try await execution.status()
                #expect(status.state == .cancelled)
                #expect(status.cancelReason == "Cancelled by user request")
                #expect(events.map(\.type) == ["flow_started", "step_started", "step_completed", "step_started"])
            }
        }
    }

    @Test func leavingTheLoopAfterTheFinalEventNeedsNoCancellation() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                var final: FlowEvent?
                for try await event in client.stream(flow: "Greet", inputs: ["user_name": "Ada"]) where event.isFinal {
                    final = event
                    break
                }
                let id = try #require(final?.executionId)
                #expect(try await client.execution(flow: "Greet", id: id).result().outputs["message"] == "Hello, Ada!")
            }
        }
    }
}
