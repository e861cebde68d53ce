import FlowClient
import FlowCore
import FlowServer
import FlowTesting
import Testing

/// `execute`: outputs as values or decoded, inputs as values or encoded, and how failures are reported.
@Suite(.timeLimit(.minutes(1)))
struct ExecuteTests {
    struct GreetInputs: Encodable {
        var user_name: String
    }

    struct Greeting: Decodable, Sendable, Equatable {
        var message: String
    }

    @Test func theDocumentedExampleRunsWithOnlyFlowClientImported() async throws {
        let printed = try await LiveFlowServer.run { port in try await documentedUsage(port: port) }
        #expect(!printed.executionId.isEmpty)
        #expect(printed.message == "Hello, Ada!")
        #expect(printed.eventTypes == ["flow_started", "step_started", "step_completed", "flow_completed"])
        #expect(
            printed.failure
                == .executionFailed(error: "refusing to greet fail", errorType: "GreetingRefused", failedStep: "greet")
        )
        #expect(
            printed.failure?.description == "execution failed in step 'greet' (GreetingRefused): refusing to greet fail"
        )
    }

    @Test func executeReturnsTheOutputsAndTheExecutionId() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                let result = try await client.execute(flow: "Greet", inputs: ["user_name": "Ada"])
                #expect(result.outputs == ["message": "Hello, Ada!"])
                #expect(result.flow == "Greet")
                #expect(!result.terminated)
                #expect(result.duration != nil)
                let status = try await client.execution(flow: "Greet", id: result.executionId).status()
                #expect(status.state == .completed)
            }
        }
    }

    @Test func encodableInputsAndDecodableOutputs() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                let typed = try await client.execute(
                    flow: "Greet",
                    inputs: GreetInputs(user_name: "Ada"),
                    as: Greeting.self
                )
                #expect(typed.outputs == Greeting(message: "Hello, Ada!"))
                let mixed = try await client.execute(flow: "Greet", inputs: ["user_name": "Bo"], as: Greeting.self)
                #expect(mixed.outputs.message == "Hello, Bo!")
                let untyped = try await client.execute(flow: "Greet", inputs: GreetInputs(user_name: "Cy"))
                #expect(untyped.outputs["message"] == "Hello, Cy!")
            }
        }
    }

    @Test func outputsThatDoNotDecodeAreADecodingError() async throws {
        struct Wrong: Decodable, Sendable { var count: Int }
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                let error = await #expect(throws: FlowClientError.self) {
                    try await client.execute(flow: "Greet", inputs: ["user_name": "Ada"], as: Wrong.self)
                }
                guard case .decodingFailed? = error else {
                    Issue.record("expected decodingFailed, got \(String(describing: error))")
                    return
                }
            }
        }
    }

    @Test func inputsThatAreNotAnObjectAreRefusedBeforeSending() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                await #expect(throws: FlowClientError.invalidInputs("inputs must encode as a JSON object, not array")) {
                    try await client.execute(flow: "Greet", inputs: ["a", "b"])
                }
                let executions = try await client.executions(flow: "Greet")
                #expect(executions.isEmpty, "nothing reached the server")
            }
        }
    }

    @Test func aFailedFlowIsExecutionFailedWithItsTypeAndStepAndIsNotRetried() async throws {
        let clock = ImmediateClock()
        try await LiveFlowServer.run { port in
            try await withClient(port: port, clock: clock) { client in
                await #expect(
                    throws: FlowClientError.executionFailed(
                        error: "refusing to greet fail",
                        errorType: "GreetingRefused",
                        failedStep: "greet"
                    )
                ) {
                    try await client.execute(flow: "Greet", inputs: ["user_name": "fail"])
                }
                let executions = try await client.executions(flow: "Greet")
                #expect(executions.count == 1, "the flow ran once")
                #expect(executions.first?.state == .failed)
                #expect(executions.first?.errorType == "GreetingRefused")
                #expect(clock.requestedSleeps.isEmpty)
            }
        }
    }

    @Test func anUnknownFlowIsFlowNotFound() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                await #expect(throws: FlowClientError.flowNotFound(flow: "Nope")) {
                    try await client.execute(flow: "Nope", inputs: [:])
                }
            }
        }
    }

    @Test func missingInputsAreAValidationErrorWithTheServersDetail() async throws {
        try await LiveFlowServer.run { port in
            try await withClient(port: port) { client in
                let error = await #expect(throws: FlowClientError.self) {
                    try await client.execute(flow: "Greet", inputs: ["name": "Ada"])
                }
                guard case .validation(let detail)? = error else {
                    Issue.record("expected validation, got \(String(describing: error))")
                    return
                }
                #expect(detail.arrayValue?.first?["loc"] == ["body", "inputs", "user_name"])
                #expect(detail.arrayValue?.first?["type"] == "missing")
            }
        }
    }

    @Test func aFlowWithUnimplementedTasksIsNotReadyAndIsNotRetried() async throws {
        let clock = ImmediateClock()
        try await LiveFlowServer.run { port in
            try await withClient(port: port, clock: clock) { client in
                await #expect(throws: FlowClientError.notReady(pendingTasks: ["Later"])) {
                    try await client.execute(flow: "Pending")
                }
                #expect(clock.requestedSleeps.isEmpty)
            }
        }
    }

    @Test func theAPIKeyIsSentAsXAPIKeyAndAMissingOneIsUnauthorized() async throws {
        var configuration = LiveFlowServer.configuration()
        configuration.apiKeys = APIKeySet(["secret-key"])
        try await LiveFlowServer.run(configuration: configuration) { port in
            try await withClient(port: port) { client in
                await #expect(
                    throws: FlowClientError.unauthorized(
                        message: "Missing API key: send it as X-API-Key or Authorization: Bearer"
                    )
                ) {
                    try await client.flows()
                }
            }
            try await withClient(port: port, apiKey: "wrong") { client in
                await #expect(throws: FlowClientError.unauthorized(message: "Invalid API key")) {
                    try await client.execute(flow: "Greet", inputs: ["user_name": "Ada"])
                }
            }
            try await withClient(port: port, apiKey: "secret-key") { client in
                let result = try await client.execute(flow: "Greet", inputs: ["user_name": "Ada"])
                #expect(result.outputs["message"] == "Hello, Ada!")
            }
        }
    }

    @Test func cancellingTheCallingTaskCancelsTheRequest() async throws {
        let gate = TaskGate()
        try await LiveFlowServer.run(gate: gate) { port in
            try await withClient(port: port) { client in
                let call = Task { try await client.execute(flow: "Block") }
                // The run has reached its blocking step, so the request is waiting for the run's end.
                _ = try await gate.nextArrival()
                call.cancel()
                await #expect(throws: CancellationError.self) { try await call.value }
                gate.openForAll() // let the run end so that the server can stop
            }
        }
    }
}
