import FlowCore
import FlowServer
import FlowTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import OrderedCollections
import Testing

/// Execution records: listing, status, cancellation (spec §4.4 "Executions", S54) and the bounded memory store.
@Suite(.timeLimit(.minutes(1)))
struct ExecutionsTests {
    static let originalStatusKeys = [
        "execution_id", "flow_name", "status", "start_time", "end_time", "cancel_reason", "error",
    ]

    /// `2026-11-26T17:50:09.569359`: naive UTC with microseconds, no offset.
    static func isNaiveTimestamp(_ value: FlowValue?) -> Bool {
        guard let text = value?.stringValue else { return false }
        return text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}/) != nil
    }

    /// The Held flow on a manual clock, with `RecordCleanup` logging its calls.
    static func heldApp(clock: ManualClock, cleanup: TaskCallRecorder = TaskCallRecorder()) throws
        -> some ApplicationProtocol
    {
        let registry = ServerFlows.heldRegistry(recordingCleanupIn: cleanup)
        return try TestFlowServer.single(ServerFlows.held, registry: registry, clock: clock)
    }

    // MARK: Listing

    @Test func listShowsEveryExecutionOfTheFlowOldestFirstWithCount() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            var ids: [String] = []
            for name in ["Alice", "boom", "stop"] {
                ids.append(
                    try #require(
                        try await client.executeFlow("Greeting", inputs: ["user_name": .string(name)]).executionId))
            }
            let response = try await client.get("/flows/Greeting/executions")
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(body.keys == ["flow", "executions", "count"])
            #expect(body["flow"] == "Greeting")
            #expect(body["count"] == 3)
            let executions = try #require(body["executions"]?.arrayValue)
            #expect(executions.compactMap { $0["execution_id"]?.stringValue } == ids)
            #expect(executions.map { $0["status"] } == ["completed", "failed", "completed"])
            #expect(executions[1]["error"] == "card declined")
            for execution in executions {
                #expect(Array(execution.keys.prefix(7)) == Self.originalStatusKeys)
                #expect(execution["flow_name"] == "Greeting")
            }
        }
    }

    @Test func limitKeepsTheNewest() async throws {
        let app = try TestFlowServer.single(ServerFlows.quick)
        try await app.test(.router) { client in
            var ids: [String] = []
            for n in 0..<4 {
                ids.append(try #require(try await client.executeFlow("Quick", inputs: ["n": .int(n)]).executionId))
            }
            let two = try await client.get("/flows/Quick/executions?limit=2").json()
            #expect(two["count"] == 2)
            #expect(
                two["executions"]?.arrayValue?.compactMap { $0["execution_id"]?.stringValue } == Array(ids.suffix(2)))
            let none = try await client.get("/flows/Quick/executions?limit=0").json()
            #expect(none["count"] == 0)
            #expect(none["executions"] == [])
            let all = try await client.get("/flows/Quick/executions?limit=100").json()
            #expect(all["count"] == 4)
        }
    }

    @Test func eventsCarryTheirPositionAsIdAndLastEventIDResumesAfterIt() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let id = try #require(try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"]).executionId)
            let all = try await client.get("/flows/Greeting/executions/\(id)/events").text
            let ids = all.split(separator: "\n").filter { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) }
            #expect(ids.count >= 3)
            #expect(ids == (1...ids.count).map(String.init))

            let rest = try await client.get(
                "/flows/Greeting/executions/\(id)/events", headers: [HTTPField.Name("Last-Event-ID")!: "2"]
            ).text
            let restIds = rest.split(separator: "\n").filter { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) }
            #expect(restIds == Array(ids.dropFirst(2)))
            #expect(rest.hasSuffix(all.suffix(from: all.range(of: "id: 3\n")!.lowerBound)))

            let junk = try await client.get(
                "/flows/Greeting/executions/\(id)/events", headers: [HTTPField.Name("Last-Event-ID")!: "x"]
            ).text
            #expect(junk == all, "a Last-Event-ID that is no position replays everything")
        }
    }

    @Test func listOnlyShowsTheFlowsOwnExecutionsInAMultiFlowServer() async throws {
        let app = try TestFlowServer.multi(yamls: [ServerFlows.greeting, ServerFlows.quick])
        try await app.test(.router) { client in
            let greeting = try #require(
                try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"]).executionId)
            let quick = try #require(try await client.executeFlow("Quick", inputs: ["n": 1]).executionId)
            _ = try await client.executeFlow("Quick", inputs: ["n": 2])

            let greetingList = try await client.get("/flows/Greeting/executions").json()
            #expect(greetingList["count"] == 1)
            #expect(greetingList[path: "executions.0.execution_id"]?.stringValue == greeting)
            let quickList = try await client.get("/flows/Quick/executions").json()
            #expect(quickList["count"] == 2)
            #expect(quickList["executions"]?.arrayValue?.allSatisfy { $0["flow_name"] == "Quick" } == true)

            // Another flow's execution is not found under this flow, for status and cancel alike.
            let crossed = try await client.get("/flows/Greeting/executions/\(quick)")
            #expect(crossed.status == .notFound)
            #expect(try crossed.json()["error"] == .string("Execution not found: \(quick)"))
            let crossedCancel = try await client.post("/flows/Greeting/executions/\(quick)/cancel")
            #expect(crossedCancel.status == .notFound)
            #expect(try await client.get("/flows/Greeting/executions/\(quick)/events").status == .notFound)
            #expect(try await client.get("/flows/Quick/executions/\(quick)").status == .ok)
        }
    }

    // MARK: Status

    @Test func statusHasTheOriginalSevenKeysWithTypesPlusExtras() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let id = try #require(try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"]).executionId)
            let response = try await client.get("/flows/Greeting/executions/\(id)")
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(Array(body.keys.prefix(7)) == Self.originalStatusKeys)
            #expect(body["execution_id"]?.stringValue == id)
            #expect(body["flow_name"] == "Greeting")
            #expect(body["status"] == "completed")
            #expect(Self.isNaiveTimestamp(body["start_time"]))
            #expect(Self.isNaiveTimestamp(body["end_time"]))
            #expect((body["start_time"]?.stringValue ?? "") <= (body["end_time"]?.stringValue ?? ""))
            #expect(body["cancel_reason"] == .null)
            #expect(body["error"] == .null)
            // Extras.
            #expect(body["error_type"] == .null)
            #expect(body["mode"] == "sync")
            #expect((body["duration_ms"]?.doubleValue ?? -1) >= 0)
            #expect(body[path: "result.success"] == true)
            #expect(body[path: "result.outputs"] == ["message": "Hello, Alice!", "count": 2])
        }
    }

    @Test func statusOfAFailedExecutionCarriesTheErrorAndItsType() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let id = try #require(try await client.executeFlow("Greeting", inputs: ["user_name": "boom"]).executionId)
            let body = try await client.get("/flows/Greeting/executions/\(id)").json()
            #expect(body["status"] == "failed")
            #expect(body["error"] == "card declined")
            #expect(body["error_type"] == "PaymentDeclined")
            #expect(body[path: "result.failed_step"] == "charge")
        }
    }

    @Test func unknownExecutionIs404ForStatusAndCancel() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let id = "00000000-0000-0000-0000-000000000000"
            let status = try await client.get("/flows/Greeting/executions/\(id)")
            #expect(status.status == .notFound)
            #expect(status.text == #"{"success":false,"error":"Execution not found: \#(id)","status_code":404}"#)
            let cancel = try await client.post("/flows/Greeting/executions/\(id)/cancel")
            #expect(cancel.status == .notFound)
            #expect(try cancel.json()["error"] == .string("Execution not found: \(id)"))
            let unknownFlow = try await client.get("/flows/Nope/executions/\(id)")
            #expect(unknownFlow.status == .notFound)
            #expect(try unknownFlow.json()["error"] == "Flow not found: Nope")
        }
    }

    @Test func rejectedRequestsKeepNoRecords() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            _ = try await client.post("/flows/Greeting/execute", body: #"{"inputs": {}}"#)
            _ = try await client.post("/flows/Greeting/execute", body: "{")
            #expect(try await client.get("/flows/Greeting/executions").json()["count"] == 0)
        }
    }

    // MARK: Cancellation

    @Test func cancellingARunningExecutionEndsTheBlockedRequestAndRecordsWhy() async throws {
        let clock = ManualClock()
        let cleanup = TaskCallRecorder()
        try await Self.heldApp(clock: clock, cleanup: cleanup).test(.router) { client in
            async let blocked = client.executeFlow("Held")
            await clock.waitForSleepers(count: 1)

            let list = try await client.get("/flows/Held/executions").json()
            #expect(list["count"] == 1)
            let id = try #require(list[path: "executions.0.execution_id"]?.stringValue)
            #expect(list[path: "executions.0.status"] == "running")
            #expect(list[path: "executions.0.end_time"] == .null)

            let cancel = try await client.post("/flows/Held/executions/\(id)/cancel")
            #expect(cancel.status == .ok)
            #expect(
                try cancel.json()
                    == [
                        "success": true, "message": "Execution cancellation requested", "execution_id": .string(id),
                        "flow": "Held",
                    ]
            )

            let response = try await blocked
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(body["success"] == false)
            #expect(body["error"] == "Cancelled by user request")
            #expect(body["outputs"] == .null)
            #expect(body["execution_id"]?.stringValue == id)

            let record = try await client.poll("/flows/Held/executions/\(id)") { $0["status"] != "running" }
            #expect(record["status"] == "cancelled")
            #expect(record["cancel_reason"] == "Cancelled by user request")
            #expect(Self.isNaiveTimestamp(record["end_time"]))
            #expect(record[path: "result.cancelled"] == true)
            // on_cancel ran once, and the step after the sleep never did.
            #expect(cleanup.calls(to: "RecordCleanup").map(\.inputs) == [["why": "cancelled"]])
            #expect(record[path: "result.cleanup_errors"] == .null)
        }
    }

    @Test func theWalkthroughsCancelNamesTheExecutionInItsBody() async throws {
        let clock = ManualClock()
        let cleanup = TaskCallRecorder()
        try await Self.heldApp(clock: clock, cleanup: cleanup).test(.router) { client in
            async let blocked = client.executeFlow("Held")
            await clock.waitForSleepers(count: 1)
            let list = try await client.get("/flows/Held/executions").json()
            let id = try #require(list[path: "executions.0.execution_id"]?.stringValue)

            let missing = try await client.post("/flows/Held/cancel", body: "{}")
            #expect(missing.status == .unprocessableContent)
            #expect(try missing.json()[path: "detail.0.loc"] == ["body", "execution_id"])
            #expect(try await client.post("/flows/Held/cancel", body: #"{"execution_id": "nope"}"#).status == .notFound)
            let emptyQuery = try await client.post(
                "/flows/Held/cancel?execution_id=", body: FlowValue.object(["execution_id": .string(id)]).jsonText)
            #expect(
                emptyQuery.status == .unprocessableContent,
                "an empty execution_id in the query is refused, as documented")
            #expect(try emptyQuery.json()[path: "detail.0.loc"] == ["query", "execution_id"])

            let cancel = try await client.post(
                "/flows/Held/cancel", body: FlowValue.object(["execution_id": .string(id)]).jsonText)
            #expect(cancel.status == .ok)
            let body = try cancel.json()
            #expect(body["message"] == "Flow cancellation requested")
            #expect(body["execution_id"] == .string(id))
            #expect(body["cleanup_handlers"] == "running", "Held has on_cancel steps")

            #expect(try await blocked.json()["error"] == "Cancelled by user request")
            let again = try await client.post("/flows/Held/cancel?execution_id=\(id)")
            #expect(try again.json()["success"] == false)
            #expect(try again.json()["status"] == "cancelled")
            #expect(cleanup.calls(to: "RecordCleanup").map(\.inputs) == [["why": "cancelled"]])
        }
    }

    @Test func cancellingRightAfterThe202CancelsTheAsyncExecution() async throws {
        let clock = ManualClock()
        let cleanup = TaskCallRecorder()
        try await Self.heldApp(clock: clock, cleanup: cleanup).test(.router) { client in
            let accepted = try await client.executeFlow("Held", query: "?wait=false")
            #expect(accepted.status == .accepted)
            let id = try #require(accepted.executionId)
            // No waiting for the run to start: a client may cancel as soon as it has the id.
            let cancel = try await client.post("/flows/Held/executions/\(id)/cancel")
            #expect(cancel.status == .ok)
            #expect(try cancel.json()["success"] == true)
            #expect(try cancel.json()["message"] == "Execution cancellation requested")
            let record = try await client.poll("/flows/Held/executions/\(id)") { $0["status"] != "running" }
            #expect(record["status"] == "cancelled")
            #expect(record["cancel_reason"] == "Cancelled by user request")
            #expect(record["mode"] == "async")
            #expect(try await client.get("/health").json()["executions_running"] == 0)
        }
    }

    @Test func healthCountsRunningExecutions() async throws {
        let clock = ManualClock()
        try await Self.heldApp(clock: clock).test(.router) { client in
            #expect(try await client.get("/health").json()["executions_running"] == 0)
            async let blocked = client.executeFlow("Held")
            await clock.waitForSleepers(count: 1)
            #expect(try await client.get("/health").json()["executions_running"] == 1)
            clock.advance(by: .seconds(60))
            let response = try await blocked
            #expect(try response.json()["outputs"] == ["n": 2])
            #expect(try await client.get("/health").json()["executions_running"] == 0)
        }
    }

    @Test func concurrentExecutionsAllSucceedWithDistinctIds() async throws {
        let app = try TestFlowServer.single(ServerFlows.quick)
        try await app.test(.router) { client in
            let results = try await withThrowingTaskGroup(of: (Int, String?, FlowValue).self) { group in
                for n in 0..<50 {
                    group.addTask {
                        let response = try await client.executeFlow("Quick", inputs: ["n": .int(n)])
                        return (n, response.executionId, try response.json())
                    }
                }
                var results: [(Int, String?, FlowValue)] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(results.count == 50)
            #expect(results.allSatisfy { $0.2["outputs"] == ["n": .int($0.0)] })
            #expect(Set(results.compactMap(\.1)).count == 50)
            #expect(try await client.get("/flows/Quick/executions").json()["count"] == 50)
        }
    }

    @Test func cancellingAFinishedExecutionSaysSoWithItsStatus() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let completed = try #require(
                try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"]).executionId)
            let response = try await client.post("/flows/Greeting/executions/\(completed)/cancel")
            #expect(response.status == .ok)
            #expect(
                response.text
                    == #"{"success":false,"message":"Execution already completed","execution_id":"\#(completed)","status":"completed"}"#
            )

            let failed = try #require(
                try await client.executeFlow("Greeting", inputs: ["user_name": "boom"]).executionId)
            let failedCancel = try await client.post("/flows/Greeting/executions/\(failed)/cancel").json()
            #expect(failedCancel["message"] == "Execution already failed")
            #expect(failedCancel["status"] == "failed")

            // Nothing changed.
            let record = try await client.get("/flows/Greeting/executions/\(completed)").json()
            #expect(record["status"] == "completed")
            #expect(record["cancel_reason"] == .null)
        }
    }

    @Test func aFloodOfCancelsOfAFinishedExecutionAllAnswer200AndChangeNothing() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let id = try #require(try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"]).executionId)
            let before = try await client.get("/flows/Greeting/executions/\(id)").json()
            let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, FlowValue).self) { group in
                for _ in 0..<200 {
                    group.addTask {
                        let response = try await client.post("/flows/Greeting/executions/\(id)/cancel")
                        return (response.status, try response.json())
                    }
                }
                var answers: [(HTTPResponse.Status, FlowValue)] = []
                for try await answer in group { answers.append(answer) }
                return answers
            }
            #expect(answers.count == 200)
            #expect(answers.allSatisfy { $0.0 == .ok })
            #expect(answers.allSatisfy { $0.1["success"] == false && $0.1["message"] == "Execution already completed" })
            let after = try await client.get("/flows/Greeting/executions/\(id)").json()
            #expect(after == before)
            #expect(try await client.get("/flows/Greeting/executions").json()["count"] == 1)
        }
    }

    @Test func cancellingAnAcceptedExecutionBeforeItStartsCancelsIt() async throws {
        // The service is never run here, so an asynchronous execution stays queued: accepted and "running",
        // but not started. Cancelling it must still work (a client may cancel right after the 202).
        let service = ExecutionService(
            store: MemoryExecutionStore(), logger: TestFlowServer.logger, clock: ManualClock())
        let flow = try TestFlowServer.served(ServerFlows.quick)
        let record = try await service.start(flow, inputs: ["n": 1], mode: .async)
        let stored = try await service.store.record(id: record.id)
        #expect(stored?.status == .running)
        let cancelled = await service.cancel(id: record.id, reason: "Cancelled by user request")
        #expect(cancelled, "a queued execution is reported as not cancellable")
        let after = try await service.store.record(id: record.id)
        #expect(after?.cancelReason == "Cancelled by user request")
    }

    /// A store whose writes of finished records wait for the test, like a slow database would.
    final class GatedStore: ExecutionStore {
        let inner = MemoryExecutionStore()
        let finishedSaves: AsyncStream<String>
        private let finishedSave: AsyncStream<String>.Continuation
        private let gate: AsyncStream<Void>
        private let opener: AsyncStream<Void>.Continuation

        init() {
            (finishedSaves, finishedSave) = AsyncStream.makeStream(of: String.self)
            (gate, opener) = AsyncStream.makeStream(of: Void.self)
        }

        /// Lets every waiting and later save through.
        func open() { opener.finish() }

        func create(_ record: ExecutionRecord) async throws { try await inner.create(record) }
        func createOnce(_ record: ExecutionRecord) async throws -> ExecutionRecord {
            try await inner.createOnce(record)
        }
        func requestCancel(id: ExecutionID, reason: String) async throws -> ExecutionRecord? {
            try await inner.requestCancel(id: id, reason: reason)
        }
        func finish(id: ExecutionID, result: ExecutionResult, events: [ExecutionEvent], at time: Date) async throws
            -> ExecutionRecord
        {
            finishedSave.yield(id.rawValue)
            for await _ in gate {}
            return try await inner.finish(id: id, result: result, events: events, at: time)
        }

        func record(id: ExecutionID) async throws -> ExecutionRecord? { try await inner.record(id: id) }
        func records(flow: String?, limit: Int) async throws -> [ExecutionRecord] {
            try await inner.records(flow: flow, limit: limit)
        }
    }

    @Test func anExecutionStaysLiveUntilItsFinishedRecordIsSaved() async throws {
        // While the finished record is being written (a slow store), the execution must still be live:
        // otherwise `/events` answers an empty stream (the stored record still says running and has no
        // events) and `executions_running` has already dropped.
        let clock = ManualClock()
        let store = GatedStore()
        let registry = ServerFlows.heldRegistry()
        let app = try TestFlowServer.single(ServerFlows.held, registry: registry, store: store, clock: clock)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let accepted = try await client.executeFlow("Held", query: "?wait=false")
            let id = try #require(accepted.executionId)
            await clock.waitForSleepers(count: 1)
            clock.advance(by: .seconds(60))
            var saves = store.finishedSaves.makeAsyncIterator()
            #expect(await saves.next() == id)

            // The finished record's save is now held open.
            let health = try await client.get("/health").json()
            #expect(health["executions_running"] == 1)
            var events = SSEReader(try await LiveHTTP.get(port: port, path: "/flows/Held/executions/\(id)/events"))
            let beforeSave = try await events.read(untilEvent: "flow_completed")
            #expect(beforeSave.compactMap(\.event) == ServerFlows.heldEvents)

            store.open()
            _ = try await events.readToEnd()
            let record = try await client.poll("/flows/Held/executions/\(id)") { $0["status"] != "running" }
            #expect(record["status"] == "completed")
        }
    }

    @Test func followingARunningExecutionWithLastEventIDSkipsWhatTheClientHad() async throws {
        let clock = ManualClock()
        let registry = ServerFlows.heldRegistry()
        let app = try TestFlowServer.single(ServerFlows.held, registry: registry, clock: clock)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let id = try #require(try await client.executeFlow("Held", query: "?wait=false").executionId)
            await clock.waitForSleepers(count: 1)
            var events = SSEReader(
                try await LiveHTTP.get(
                    port: port, path: "/flows/Held/executions/\(id)/events", headers: [("Last-Event-ID", "2")])
            )
            clock.advance(by: .seconds(60))
            let frames = try await events.read(untilEvent: "flow_completed").filter { $0.event != nil }
            #expect(frames.compactMap(\.event) == Array(ServerFlows.heldEvents.dropFirst(2)))
            #expect(frames.compactMap(\.id) == (3...ServerFlows.heldEvents.count).map(String.init))
        }
    }

    // MARK: Bounded memory store

    @Test func memoryStoreKeepsOnlyTheNewestRecords() async throws {
        let app = try TestFlowServer.single(
            ServerFlows.quick, configuration: TestFlowServer.configuration(maxExecutionRecords: 5))
        try await app.test(.router) { client in
            var ids: [String] = []
            for n in 0..<20 {
                let response = try await client.executeFlow("Quick", inputs: ["n": .int(n)])
                #expect(response.status == .ok)
                ids.append(try #require(response.executionId))
            }
            let list = try await client.get("/flows/Quick/executions").json()
            #expect(list["count"] == 5)
            #expect(
                list["executions"]?.arrayValue?.compactMap { $0["execution_id"]?.stringValue } == Array(ids.suffix(5)))
            #expect(try await client.get("/flows/Quick/executions/\(ids[0])").status == .notFound)
            #expect(try await client.get("/flows/Quick/executions/\(ids[19])").status == .ok)
        }
    }

    @Test func memoryStoreNeverDropsRunningRecords() async throws {
        let store = MemoryExecutionStore(maxRecords: 2)
        try await store.create(ExecutionRecord(id: "running", flowName: "F", mode: .async, inputs: [:]))
        for index in 0..<5 {
            let id = ExecutionID(rawValue: "done-\(index)")
            try await store.create(ExecutionRecord(id: id, flowName: "F", mode: .sync, inputs: [:]))
            let result = ExecutionResult(executionId: id, flowName: "F", status: .completed)
            _ = try await store.finish(id: id, result: result, events: [], at: Date())
        }
        let kept = try await store.records(flow: "F", limit: 100).map(\.id)
        #expect(kept.contains("running"))
        #expect(kept.count == 2)
        #expect(kept.last == "done-4")
    }
}
