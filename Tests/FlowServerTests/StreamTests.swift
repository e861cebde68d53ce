import AsyncHTTPClient
import FlowCore
import FlowServer
import FlowTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import OrderedCollections
import Testing

/// `POST /flows/{flow}/execute/stream` and `GET /flows/{flow}/executions/{id}/events` (spec §4.4, S52;
/// reference README §4): framing, event order, incremental delivery over a real socket, disconnect
/// cancellation, following, replay and keep-alive pings.
@Suite(.timeLimit(.minutes(1)))
struct StreamTests {
    static func heldApp(
        clock: ManualClock,
        cleanup: TaskCallRecorder = TaskCallRecorder(),
        pingInterval: Duration = .seconds(15)
    ) throws -> some ApplicationProtocol {
        let registry = ServerFlows.heldRegistry(recordingCleanupIn: cleanup)
        return try TestFlowServer.single(
            ServerFlows.held,
            registry: registry,
            configuration: TestFlowServer.configuration(pingInterval: pingInterval),
            clock: clock
        )
    }

    // MARK: Framing and order (whole bodies)

    @Test func streamIsFramedAsServerSentEventsWithTheRecordedHeaders() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let response = try await client.streamFlow("Greeting", inputs: ["user_name": "Alice"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream; charset=utf-8")
            #expect(response.headers[.cacheControl] == "no-cache")
            #expect(response.headers[.testAccelBuffering] == "no")
            let id = try #require(response.executionId)

            let text = response.text
            #expect(text.hasSuffix("\n\n"))
            let frames = SSEText.frames(text)
            #expect(!frames.isEmpty)
            for frame in frames {
                // Exactly `event: <name>` then one `data: <json>` line.
                let lines = frame.raw.split(separator: "\n", omittingEmptySubsequences: false)
                #expect(lines.count == 2, "\(frame.raw)")
                #expect(lines.first?.hasPrefix("event: ") == true)
                #expect(lines.last?.hasPrefix("data: {") == true)
                let data = try #require(frame.data, "data is not JSON: \(frame.raw)")
                #expect(data["timestamp"]?.stringValue?.hasSuffix("+00:00") == true)
                #expect(data["execution_id"]?.stringValue == id)
            }
        }
    }

    @Test func successfulRunStreamsStartedStepAndCompletedEventsInOrder() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let frames = SSEText.frames(try await client.streamFlow("Greeting", inputs: ["user_name": "Alice"]).text)
            #expect(frames.map(\.event) == ["flow_started", "step_started", "step_completed", "flow_completed"])
            let started = try #require(frames.first?.data)
            #expect(started["flow"] == "Greeting")
            #expect(started["inputs"] == ["user_name": "Alice", "count": 2])
            let stepStarted = try #require(frames[1].data)
            #expect(stepStarted["step_id"] == "greet")
            #expect(stepStarted["task"] == "Echo")
            #expect(stepStarted["inputs"] == ["message": "Hello, Alice!", "count": 2])
            let stepCompleted = try #require(frames[2].data)
            #expect(stepCompleted["outputs"] == ["message": "Hello, Alice!", "count": 2])
            #expect(stepCompleted["duration_ms"]?.doubleValue != nil)
            let completed = try #require(frames[3].data)
            #expect(completed["flow"] == "Greeting")
            #expect(completed["success"] == true)
            #expect(completed["outputs"] == ["message": "Hello, Alice!", "count": 2])
            #expect(completed["duration_ms"]?.doubleValue != nil)
        }
    }

    @Test func failingRunStreamsStepFailedThenFlowFailed() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let frames = SSEText.frames(try await client.streamFlow("Greeting", inputs: ["user_name": "boom"]).text)
            #expect(frames.map(\.event) == ["flow_started", "step_started", "step_failed", "flow_failed"])
            let stepFailed = try #require(frames[2].data)
            #expect(stepFailed["step_id"] == "charge")
            #expect(stepFailed["error"] == "card declined")
            #expect(stepFailed["error_type"] == "PaymentDeclined")
            let failed = try #require(frames[3].data)
            #expect(failed["success"] == false)
            #expect(failed["error"] == "card declined")
            #expect(failed["error_type"] == "PaymentDeclined")
            #expect(failed["duration_ms"]?.doubleValue != nil)
        }
    }

    @Test func exitStreamsFlowTerminatedThenFlowCompletedWithTerminated() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let frames = SSEText.frames(try await client.streamFlow("Greeting", inputs: ["user_name": "stop"]).text)
            #expect(frames.map(\.event) == ["flow_started", "flow_terminated", "flow_completed"])
            let terminated = try #require(frames[1].data)
            #expect(terminated["reason"] == "stopped")
            #expect(terminated["outputs"] == ["message": "stopped"])
            let completed = try #require(frames[2].data)
            #expect(completed["success"] == true)
            #expect(completed["terminated"] == true)
            #expect(completed["termination_reason"] == "stopped")
            #expect(completed["outputs"] == ["message": "stopped"])
        }
    }

    @Test func notReadyStreamIs503WithOneErrorEvent() async throws {
        let app = try TestFlowServer.single(ServerFlows.unready, registry: ServerFlows.unreadyRegistry)
        try await app.test(.router) { client in
            let response = try await client.streamFlow("Unready", inputs: ["user_name": "Alice"])
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.contentType] == "text/event-stream; charset=utf-8")
            let frames = SSEText.frames(response.text)
            #expect(frames.count == 1)
            #expect(frames.first?.event == "error")
            #expect(
                frames.first?.data
                    == [
                        "success": false, "error": "Flow not ready for execution",
                        "error_details": "1 of 2 tasks are not yet implemented", "flow": "Unready",
                        "pending_tasks": ["Stubby"], "implementation_progress": "1/2 (50.0%)",
                    ]
            )
        }
    }

    @Test func invalidInputsAndUnknownFlowsAreAnsweredAsJSONBeforeStreaming() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let missing = try await client.post("/flows/Greeting/execute/stream", body: #"{"inputs": {}}"#)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.headers[.contentType] == "application/json")
            #expect(try missing.json()[path: "detail.0.loc"] == ["body", "inputs", "user_name"])

            let badJSON = try await client.post("/flows/Greeting/execute/stream", body: #"{"inputs": "#)
            #expect(badJSON.status == .unprocessableContent)
            #expect(try badJSON.json()[path: "detail.0.type"] == "json_invalid")
            #expect(try badJSON.json()[path: "detail.0.loc"] == ["body", 11])

            let unknown = try await client.streamFlow("NoSuchFlow", inputs: ["user_name": "Alice"])
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.contentType] == "application/json")
            #expect(unknown.text == #"{"success":false,"error":"Flow not found: NoSuchFlow","status_code":404}"#)
        }
    }

    @Test func finishedStreamExecutionIsRecordedAndItsEventsReplay() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let streamed = try await client.streamFlow("Greeting", inputs: ["user_name": "Alice"])
            let id = try #require(streamed.executionId)
            let record = try await client.get("/flows/Greeting/executions/\(id)").json()
            #expect(record["status"] == "completed")
            #expect(record["mode"] == "stream")

            let replay = try await client.get("/flows/Greeting/executions/\(id)/events")
            #expect(replay.status == .ok)
            #expect(replay.headers[.contentType] == "text/event-stream; charset=utf-8")
            #expect(SSEText.eventNames(replay.text) == SSEText.eventNames(streamed.text))
            #expect(SSEText.frames(replay.text).map(\.data) == SSEText.frames(streamed.text).map(\.data))

            let missing = try await client.get("/flows/Greeting/executions/nope/events")
            #expect(missing.status == .notFound)
        }
    }

    @Test func eventsOfASyncExecutionReplayAfterItFinished() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let id = try #require(try await client.executeFlow("Greeting", inputs: ["user_name": "boom"]).executionId)
            let replay = try await client.get("/flows/Greeting/executions/\(id)/events")
            #expect(SSEText.eventNames(replay.text) == ["flow_started", "step_started", "step_failed", "flow_failed"])
        }
    }

    // MARK: Live delivery over a socket

    @Test func eventsArriveOneByOneWhileTheRunIsStillGoing() async throws {
        let clock = ManualClock()
        try await Self.heldApp(clock: clock).test(.live) { client in
            let port = try #require(client.port)
            let response = try await LiveHTTP.stream(port: port, flow: "Held")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "content-type") == "text/event-stream; charset=utf-8")
            var reader = SSEReader(response)
            let early = try await reader.read(until: { $0.event == "step_started" && $0.data?["step_id"] == "hold" })
            #expect(early.compactMap(\.event) == ["flow_started", "step_started", "step_completed", "step_started"])
            #expect(!early.contains { $0.event == "flow_completed" })
            await clock.waitForSleepers(count: 2)
            #expect(clock.sleeperCount == 2, "the run is still held in its Sleep step, the stream waits to ping")

            clock.advance(by: .seconds(60))
            let rest = try await reader.readToEnd()
            #expect(rest.compactMap(\.event) == ["step_completed", "step_started", "step_completed", "flow_completed"])
            #expect(rest.last?.data?["outputs"] == ["n": 2])
        }
    }

    @Test func disconnectingTheClientCancelsTheRunAndRunsOnCancel() async throws {
        let clock = ManualClock()
        let cleanup = TaskCallRecorder()
        // Pings make the server write, and so notice the closed connection, while the run is held.
        try await Self.heldApp(clock: clock, cleanup: cleanup, pingInterval: .milliseconds(10)).test(.live) { client in
            let port = try #require(client.port)
            let (ids, idSink) = AsyncStream.makeStream(of: String.self)
            let reading = Task {
                let response = try await LiveHTTP.stream(port: port, flow: "Held")
                idSink.yield(response.headers.first(name: "X-Execution-Id") ?? "")
                var reader = SSEReader(response)
                try await reader.read(until: { $0.event == "step_started" && $0.data?["step_id"] == "hold" })
                idSink.finish()
                // Keep reading (pings) until cancelled: cancelling drops the connection.
                _ = try await reader.readToEnd()
            }
            var idIterator = ids.makeAsyncIterator()
            let id = try #require(await idIterator.next())
            #expect(!id.isEmpty)
            while await idIterator.next() != nil {} // the hold step has started
            await clock.waitForSleepers(count: 2)
            reading.cancel()
            _ = await reading.result
            // Time moves one ping at a time, only while the stream waits to ping: the held step (60 s) stays
            // held until the server, writing pings to the closed connection, cancels the run.
            var pings = 0
            while cleanup.calls(to: "RecordCleanup").map(\.inputs).isEmpty, pings < 1000, !Task.isCancelled {
                if clock.sleeperCount == 2 {
                    clock.advance(by: .milliseconds(10))
                    pings += 1
                }
                await Task.yield()
            }
            try #require(
                !cleanup.calls(to: "RecordCleanup").map(\.inputs).isEmpty,
                "the server wrote \(pings) pings without noticing the closed connection")

            let cleanupCall = await cleanup.waitForCall(to: "RecordCleanup").inputs
            #expect(cleanupCall == ["why": "cancelled"])
            let record = try await client.poll("/flows/Held/executions/\(id)") { $0["status"] != "running" }
            #expect(record["status"] == "cancelled")
            #expect(record["cancel_reason"] == "Client disconnected")
            #expect(record[path: "result.cancelled"] == true)
            #expect(record[path: "result.reason"] == "Client disconnected")
            #expect(cleanup.calls(to: "RecordCleanup").map(\.inputs).count == 1)
            #expect(clock.sleeperCount == 0)
        }
    }

    @Test func aStreamingExecutionCanBeCancelledThroughTheAPI() async throws {
        let clock = ManualClock()
        let cleanup = TaskCallRecorder()
        try await Self.heldApp(clock: clock, cleanup: cleanup).test(.live) { client in
            let port = try #require(client.port)
            let response = try await LiveHTTP.stream(port: port, flow: "Held")
            let id = try #require(response.headers.first(name: "X-Execution-Id"))
            var reader = SSEReader(response)
            try await reader.read(until: { $0.event == "step_started" && $0.data?["step_id"] == "hold" })

            let running = try await client.get("/flows/Held/executions/\(id)").json()
            #expect(running["status"] == "running")
            #expect(running["mode"] == "stream")
            let cancel = try await client.post("/flows/Held/executions/\(id)/cancel")
            #expect(cancel.status == .ok)
            #expect(try cancel.json()["success"] == true)

            let rest = try await reader.readToEnd()
            #expect(rest.compactMap(\.event).suffix(3) == ["step_started", "step_completed", "flow_cancelled"])
            let cancelled = try #require(rest.last?.data)
            #expect(cancelled["reason"] == "Cancelled by user request")
            #expect(cleanup.calls(to: "RecordCleanup").map(\.inputs) == [["why": "cancelled"]])
            let record = try await client.poll("/flows/Held/executions/\(id)") { $0["status"] != "running" }
            #expect(record["status"] == "cancelled")
            #expect(record["cancel_reason"] == "Cancelled by user request")
        }
    }

    @Test func aSecondClientFollowingARunningStreamGetsPastThenLiveEvents() async throws {
        let clock = ManualClock()
        try await Self.heldApp(clock: clock).test(.live) { client in
            let port = try #require(client.port)
            let first = try await LiveHTTP.stream(port: port, flow: "Held")
            let id = try #require(first.headers.first(name: "X-Execution-Id"))
            var firstReader = SSEReader(first)
            try await firstReader.read(until: { $0.event == "step_started" && $0.data?["step_id"] == "hold" })

            let follow = try await LiveHTTP.get(port: port, path: "/flows/Held/executions/\(id)/events")
            #expect(follow.status == .ok)
            #expect(follow.headers.first(name: "content-type") == "text/event-stream; charset=utf-8")
            var follower = SSEReader(follow)
            let past = try await follower.read(until: { $0.event == "step_started" && $0.data?["step_id"] == "hold" })
            #expect(past.compactMap(\.event) == ["flow_started", "step_started", "step_completed", "step_started"])

            clock.advance(by: .seconds(60))
            let live = try await follower.readToEnd()
            #expect(live.compactMap(\.event) == ["step_completed", "step_started", "step_completed", "flow_completed"])
            #expect(follower.received.compactMap(\.event) == ServerFlows.heldEvents)
            let streamed = try await firstReader.readToEnd()
            #expect(streamed.last?.event == "flow_completed")
            #expect(follower.received.compactMap(\.data).allSatisfy { $0["execution_id"]?.stringValue == id })
        }
    }

    @Test func idleStreamsSendPingCommentsWhileTheRunIsHeld() async throws {
        let clock = ManualClock()
        try await Self.heldApp(clock: clock, pingInterval: .milliseconds(10)).test(.live) { client in
            let port = try #require(client.port)
            var reader = SSEReader(try await LiveHTTP.stream(port: port, flow: "Held"))
            try await reader.read(until: { $0.event == "step_started" && $0.data?["step_id"] == "hold" })
            await clock.waitForSleepers(count: 2)
            clock.advance(by: .milliseconds(10))
            let untilPing = try await reader.read(until: \.isPing)
            #expect(untilPing.last?.raw == ": ping")
            #expect(!reader.received.contains { $0.event == "flow_completed" })

            clock.advance(by: .seconds(60))
            let rest = try await reader.readToEnd()
            #expect(rest.last?.event == "flow_completed")
            #expect(reader.received.compactMap(\.event) == ServerFlows.heldEvents)
        }
    }
}
