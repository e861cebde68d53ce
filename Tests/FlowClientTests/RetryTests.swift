import FlowClient
import FlowCore
import FlowServer
import FlowTesting
import Hummingbird
import Testing

/// Retries: only 429, 503 without pending tasks, and failed connections; waits on the client's clock.
@Suite(.timeLimit(.minutes(1)))
struct RetryTests {
    @Test func a429IsRetriedAfterItsRetryAfterSeconds() async throws {
        let log = RequestLog()
        let router = Router()
        router.post("/flows/Greet/execute") { request, _ -> Response in
            if log.record(request) == 0 {
                return ScriptedServer.json(
                    ["success": false, "error": "slow down"],
                    status: .tooManyRequests,
                    headers: [.retryAfter: "7"]
                )
            }
            return ScriptedServer.executed(["message": "Hello, Ada!"])
        }
        let clock = ImmediateClock()
        try await ScriptedServer.run(router) { port in
            try await withClient(port: port, clock: clock) { client in
                let result = try await client.execute(flow: "Greet", inputs: ["user_name": "Ada"])
                #expect(result.outputs["message"] == "Hello, Ada!")
                #expect(result.executionId == "exec-1")
            }
        }
        #expect(clock.requestedSleeps == [.seconds(7)])
        #expect(log.count == 2)
    }

    @Test func aFlowFailureAnsweredWith500IsExecutionFailedAndIsNotRetried() async throws {
        let log = RequestLog()
        let router = Router()
        router.post("/flows/Hook/execute") { request, _ -> Response in
            log.record(request)
            return ScriptedServer.json(
                ["success": false, "outputs": nil, "error": "boom", "error_type": "TaskError", "flow": "Hook"],
                status: .internalServerError
            )
        }
        let clock = ImmediateClock()
        try await ScriptedServer.run(router) { port in
            try await withClient(port: port, clock: clock) { client in
                await #expect(
                    throws: FlowClientError.executionFailed(error: "boom", errorType: "TaskError", failedStep: nil)
                ) {
                    try await client.execute(flow: "Hook")
                }
            }
        }
        #expect(log.count == 1)
        #expect(clock.requestedSleeps.isEmpty)
    }

    @Test func backoffDoublesWithoutRetryAfterAndTheLastErrorIsRateLimited() async throws {
        let log = RequestLog()
        let router = Router()
        router.get("/health") { request, _ -> Response in
            log.record(request)
            return ScriptedServer.json(["error": "slow down"], status: .tooManyRequests)
        }
        let clock = ImmediateClock()
        let retry = FlowClient.RetryPolicy(
            maxAttempts: 4,
            initialDelay: .milliseconds(500),
            multiplier: 2,
            maxDelay: .seconds(60)
        )
        try await ScriptedServer.run(router) { port in
            try await withClient(port: port, configuration: .init(timeout: nil, retry: retry), clock: clock) { client in
                await #expect(throws: FlowClientError.rateLimited(retryAfter: nil)) { try await client.health() }
            }
        }
        #expect(clock.requestedSleeps == [.milliseconds(500), .seconds(1), .seconds(2)])
        #expect(log.count == 4)
    }

    @Test func aRateLimitedServerIsRateLimitedOnceTheWaitWouldBeTooLong() async throws {
        var configuration = LiveFlowServer.configuration()
        configuration.rateLimit = RateLimit(requests: 1, per: .seconds(3600))
        let clock = ImmediateClock()
        try await LiveFlowServer.run(configuration: configuration) { port in
            try await withClient(port: port, clock: clock) { client in
                _ = try await client.flows()
                let error = try await #require(throws: FlowClientError.self) { try await client.flows() }
                guard case .rateLimited(let retryAfter?) = error else {
                    Issue.record("expected rateLimited with a Retry-After, got \(error)")
                    return
                }
                // The server's whole seconds until its bucket refills: an hour less the time between the requests.
                #expect(retryAfter > .seconds(3500) && retryAfter <= .seconds(3600), "\(retryAfter)")
            }
        }
        #expect(
            clock.requestedSleeps.isEmpty,
            "an hour is longer than the policy's maxDelay, so the client gives up at once"
        )
    }

    @Test func theExecutionLimitsServiceUnavailableIsRetriedThenReported() async throws {
        var configuration = LiveFlowServer.configuration()
        configuration.maxConcurrentExecutions = 1
        let clock = ImmediateClock()
        let gate = TaskGate()
        try await LiveFlowServer.run(configuration: configuration, gate: gate) { port in
            try await withClient(port: port, clock: clock) { client in
                let held = try await client.start(flow: "Block")
                _ = try await gate.nextArrival()
                let error = await #expect(throws: FlowClientError.self) {
                    try await client.execute(flow: "Greet", inputs: ["user_name": "Ada"])
                }
                guard case .serviceUnavailable(_, let retryAfter)? = error else {
                    Issue.record("expected serviceUnavailable, got \(String(describing: error))")
                    return
                }
                #expect(retryAfter == .seconds(1))
                #expect(
                    clock.requestedSleeps == [.seconds(1), .seconds(1)],
                    "three attempts, each after the server's Retry-After"
                )
                try await held.cancel()
                await #expect(throws: FlowClientError.executionCancelled(reason: "Cancelled by user request")) {
                    try await held.result()
                }
            }
        }
    }

    @Test func aRefusedConnectionIsRetriedWithBackoffThenATransportError() async throws {
        let clock = ImmediateClock()
        // Nothing listens on port 1, and no client is ever handed it as its own end.
        try await withClient(port: 1, clock: clock) { client in
            let error = await #expect(throws: FlowClientError.self) { try await client.health() }
            guard case .transport? = error else {
                Issue.record("expected transport, got \(String(describing: error))")
                return
            }
        }
        #expect(clock.requestedSleeps == [.seconds(1), .seconds(2)])
    }

    @Test func retriesSleepOnTheInjectedClockUntilItIsAdvanced() async throws {
        let log = RequestLog()
        let router = Router()
        router.get("/flows") { request, _ -> Response in
            if log.record(request) == 0 {
                return ScriptedServer.json(["error": "busy"], status: .serviceUnavailable, headers: [.retryAfter: "30"])
            }
            return ScriptedServer.json([])
        }
        let clock = ManualClock()
        try await ScriptedServer.run(router) { port in
            try await withClient(port: port, clock: clock) { client in
                async let flows = client.flows()
                await clock.waitForSleepers(count: 1)
                #expect(log.count == 1, "the second attempt waits for the clock")
                clock.advance(by: .seconds(30))
                let listed = try await flows
                #expect(listed.isEmpty)
                #expect(log.count == 2)
            }
        }
        #expect(clock.requestedSleeps == [.seconds(30)])
    }
}
