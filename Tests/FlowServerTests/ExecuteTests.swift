import FlowCore
import FlowServer
import FlowTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OrderedCollections
import Testing

/// `POST /flows/{flow}/execute` (spec §4.3, §4.4, S46–S51, S56; reference README §3): results, the original's
/// 422/404/405/503 shapes, limits, and asynchronous execution with 202 and polling.
@Suite(.timeLimit(.minutes(1)))
struct ExecuteTests {
    static let originalKeys = [
        "success", "outputs", "error", "error_details", "execution_time_ms", "flow", "pending_tasks",
        "implementation_progress",
    ]

    static func greetingApp(configuration: ServerConfiguration = TestFlowServer.configuration()) throws
        -> some ApplicationProtocol
    {
        try TestFlowServer.single(ServerFlows.greeting, configuration: configuration)
    }

    // MARK: Results

    @Test func successHasTheEightOriginalKeysFirstThenTheExtras() async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let body = try response.json()
            #expect(Array(body.keys.prefix(8)) == Self.originalKeys)
            for key in ["execution_id", "terminated", "termination_reason", "error_type", "failed_step"] {
                #expect(body.keys.contains(key), "missing \(key)")
            }
            #expect(body["success"] == true)
            #expect(body["outputs"] == ["message": "Hello, Alice!", "count": 2])
            #expect(body["error"] == .null)
            #expect(body["error_details"] == .null)
            #expect((body["execution_time_ms"]?.doubleValue ?? -1) >= 0)
            #expect(body["flow"] == "Greeting")
            #expect(body["pending_tasks"] == .null)
            #expect(body["implementation_progress"] == .null)
            #expect(body["terminated"] == false)
            #expect(body["termination_reason"] == .null)
            #expect(body["error_type"] == .null)
            #expect(body["failed_step"] == .null)
            let id = try #require(body["execution_id"]?.stringValue)
            #expect(!id.isEmpty)
            #expect(response.executionId == id)
        }
    }

    @Test func eachExecutionGetsItsOwnId() async throws {
        try await Self.greetingApp().test(.router) { client in
            let first = try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"]).executionId
            let second = try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"]).executionId
            #expect(first != nil)
            #expect(first != second)
        }
    }

    @Test func exitStepSucceedsWithTerminatedAndTheReason() async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.executeFlow("Greeting", inputs: ["user_name": "stop"])
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(body["success"] == true)
            #expect(body["outputs"] == ["message": "stopped"])
            #expect(body["terminated"] == true)
            #expect(body["termination_reason"] == "stopped")
            #expect(body["error"] == .null)
        }
    }

    @Test func failedFlowIs200WithTheTasksOwnMessageTypeAndStep() async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.executeFlow("Greeting", inputs: ["user_name": "boom"])
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(Array(body.keys.prefix(8)) == Self.originalKeys)
            #expect(body["success"] == false)
            #expect(body["outputs"] == .null)
            #expect(body["error"] == "card declined")
            #expect(body["error_type"] == "PaymentDeclined")
            #expect(body["failed_step"] == "charge")
            #expect(body["error_details"] == .null)
            #expect(body["terminated"] == false)
            #expect(body["execution_id"]?.stringValue == response.executionId)
        }
    }

    @Test func notReadyFlowIs503WithPendingTasksAndProgress() async throws {
        let app = try TestFlowServer.single(ServerFlows.unready, registry: ServerFlows.unreadyRegistry)
        try await app.test(.router) { client in
            let response = try await client.executeFlow("Unready", inputs: ["user_name": "Alice"])
            #expect(response.status == .serviceUnavailable)
            #expect(
                try response.json()
                    == [
                        "success": false, "outputs": .null, "error": "Flow not ready for execution",
                        "error_details": "1 of 2 tasks are not yet implemented", "execution_time_ms": .null,
                        "flow": "Unready", "pending_tasks": ["Stubby"], "implementation_progress": "1/2 (50.0%)",
                    ]
            )
            #expect(response.text.hasPrefix(#"{"success":false,"outputs":null,"error":"Flow not ready for execution""#))
            // A 503 runs nothing and keeps no record.
            #expect(try await client.get("/flows/Unready/executions").json()["count"] == 0)
        }
    }

    @Test func unknownFlowIs404Envelope() async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.executeFlow("NoSuchFlow", inputs: ["user_name": "Alice"])
            #expect(response.status == .notFound)
            #expect(response.text == #"{"success":false,"error":"Flow not found: NoSuchFlow","status_code":404}"#)
        }
    }

    // MARK: 422, exactly as recorded

    @Test func missingRequiredInputIs422WithTheRecordedDetail() async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.post("/flows/Greeting/execute", body: #"{"inputs": {}}"#)
            #expect(response.status == .unprocessableContent)
            #expect(
                try response.json()
                    == [
                        "detail": [
                            [
                                "type": "missing", "loc": ["body", "inputs", "user_name"], "msg": "Field required",
                                "input": [:],
                            ]
                        ]
                    ]
            )
        }
    }

    @Test func integerForAStringInputIs422StringType() async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.post("/flows/Greeting/execute", body: #"{"inputs":{"user_name":123}}"#)
            #expect(response.status == .unprocessableContent)
            #expect(
                try response.json()
                    == [
                        "detail": [
                            [
                                "type": "string_type", "loc": ["body", "inputs", "user_name"],
                                "msg": "Input should be a valid string", "input": 123,
                            ]
                        ]
                    ]
            )
        }
    }

    @Test func nullForARequiredStringInputIs422StringTypeAsRecorded() async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.post("/flows/Greeting/execute", body: #"{"inputs":{"user_name":null}}"#)
            #expect(response.status == .unprocessableContent)
            // Recorded: {"detail":[{"type":"string_type","loc":["body","inputs","user_name"],"msg":"Input should be a valid string","input":null}]}
            let detail = try response.json()[path: "detail.0"]
            #expect(detail?["type"] == "string_type")
            #expect(detail?["loc"] == ["body", "inputs", "user_name"])
            #expect(detail?["msg"] == "Input should be a valid string")
            #expect(detail?["input"] == .null)
        }
    }

    @Test func malformedJSONIs422JSONInvalidAtTheOffset() async throws {
        try await Self.greetingApp().test(.router) { client in
            let text = #"{"inputs": {"user_name": "#
            #expect(text.utf8.count == 25)
            let response = try await client.post("/flows/Greeting/execute", body: text)
            #expect(response.status == .unprocessableContent)
            let body = try response.json()
            let detail = try #require(body[path: "detail.0"])
            #expect(detail.keys == ["type", "loc", "msg", "input", "ctx"])
            #expect(detail["type"] == "json_invalid")
            #expect(detail["loc"] == ["body", 25])
            #expect(detail["msg"] == "JSON decode error")
            #expect(detail["input"] == [:])
            #expect(detail[path: "ctx.error"]?.stringValue?.isEmpty == false)
            #expect(body["detail"]?.arrayValue?.count == 1)
        }
    }

    @Test func emptyBodyIs422MissingBody() async throws {
        try await Self.greetingApp().test(.router) { client in
            for body in [nil, ""] as [String?] {
                let response = try await client.post("/flows/Greeting/execute", body: body)
                #expect(response.status == .unprocessableContent)
                #expect(
                    response.text
                        == #"{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}"#)
            }
        }
    }

    @Test func bodyWithoutInputsKeyIs422MissingInputs() async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.post("/flows/Greeting/execute", body: "{}")
            #expect(response.status == .unprocessableContent)
            #expect(
                response.text
                    == #"{"detail":[{"type":"missing","loc":["body","inputs"],"msg":"Field required","input":{}}]}"#)
        }
    }

    @Test func textPlainBodyIs422ModelAttributesTypeWithTheRawText() async throws {
        try await Self.greetingApp().test(.router) { client in
            let text = #"{"inputs": {"user_name":"Alice"}}"#
            let response = try await client.post("/flows/Greeting/execute", body: text, contentType: "text/plain")
            #expect(response.status == .unprocessableContent)
            #expect(
                try response.json()
                    == [
                        "detail": [
                            [
                                "type": "model_attributes_type", "loc": ["body"],
                                "msg": "Input should be a valid dictionary or object to extract fields from",
                                "input": .string(text),
                            ]
                        ]
                    ]
            )
        }
    }

    @Test(arguments: [#"{"inputs": [1, 2]}"#, #"{"inputs": "Alice"}"#, #"{"inputs": 5}"#])
    func inputsThatAreNotAnObjectAre422AtBodyInputs(_ text: String) async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.post("/flows/Greeting/execute", body: text)
            #expect(response.status == .unprocessableContent)
            let detail = try response.json()[path: "detail.0"]
            #expect(detail?["loc"] == ["body", "inputs"])
            #expect(detail?["type"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func bodyThatIsNotAnObjectIs422AtBody() async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.post("/flows/Greeting/execute", body: "[1]")
            #expect(response.status == .unprocessableContent)
            #expect(try response.json()[path: "detail.0.loc"] == ["body"])
        }
    }

    @Test func invalidUTF8BodyIs422JSONInvalid() async throws {
        try await Self.greetingApp().test(.router) { client in
            var bytes = ByteBuffer(string: #"{"inputs": {"user_name": ""#)
            bytes.writeBytes([0xFF, 0xFE, 0xC3])
            bytes.writeString(#""}}"#)
            let response = try await client.post("/flows/Greeting/execute", bytes: bytes)
            #expect(response.status == .unprocessableContent)
            let detail = try response.json()[path: "detail.0"]
            #expect(detail?["type"] == "json_invalid")
            #expect(detail?[path: "loc.0"] == "body")
        }
    }

    @Test func deeplyNestedJSONIs422JSONInvalidNotACrash() async throws {
        try await Self.greetingApp().test(.router) { client in
            let nested = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
            let response = try await client.post(
                "/flows/Greeting/execute", body: #"{"inputs": {"user_name": \#(nested)}}"#)
            #expect(response.status == .unprocessableContent)
            #expect(try response.json()[path: "detail.0.type"] == "json_invalid")
            // The server is still fine afterwards.
            #expect(try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"]).status == .ok)
        }
    }

    @Test func bodyOverTheLimitIs413() async throws {
        let app = try Self.greetingApp(configuration: TestFlowServer.configuration(maxBodyBytes: 1024))
        try await app.test(.router) { client in
            let padding = String(repeating: "x", count: 2000)
            let response = try await client.post(
                "/flows/Greeting/execute",
                body: #"{"inputs": {"user_name": "Alice", "padding": "\#(padding)"}}"#
            )
            #expect(response.status == .contentTooLarge)
            let body = try response.json()
            #expect(body["success"] == false)
            #expect(body["status_code"] == 413)
            // Just under the limit is fine.
            #expect(try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"]).status == .ok)
        }
    }

    // MARK: Routing errors

    @Test(arguments: [
        ("/flows/Greeting/execute", "POST"), ("/flows/Greeting/execute/stream", "POST"),
        ("/flows/Greeting/executions/abc/cancel", "POST"),
    ])
    func getOnAPostRouteIs405WithAllow(_ uri: String, _ allow: String) async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.get(uri)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == allow)
            #expect(response.text == #"{"detail":"Method Not Allowed"}"#)
        }
    }

    @Test func aPathServedWithTwoMethodsListsBothInAllow() async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.execute(uri: "/ui/key", method: .delete)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "GET, POST")
            #expect(response.text == #"{"detail":"Method Not Allowed"}"#)
        }
    }

    @Test func postOnAGetRouteIs405AllowGet() async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.post("/flows/Greeting", body: "{}")
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "GET")
            #expect(try response.json() == ["detail": "Method Not Allowed"])
        }
    }

    @Test(arguments: ["/no/such/route", "/flows/Greeting/execute/extra/parts", "/flowsx"])
    func unknownRouteIs404Detail(_ uri: String) async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.get(uri)
            #expect(response.status == .notFound)
            #expect(response.text == #"{"detail":"Not Found"}"#)
        }
    }

    // MARK: Inputs

    @Test(
        arguments: [(#"{}"#, true), (#"{"inputs": {}}"#, true), ("", true), (#"{"inputs": null}"#, true), (nil, false)]
            as [(String?, Bool)])
    func flowWithoutDeclaredInputsExecutesWithAnyEmptyBody(_ text: String?, _ withContentType: Bool) async throws {
        let app = try TestFlowServer.single(ServerFlows.noInputs)
        try await app.test(.router) { client in
            let response = try await client.post(
                "/flows/NoInputs/execute",
                body: text,
                contentType: withContentType ? "application/json" : nil
            )
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(body["success"] == true)
            #expect(body["outputs"] == ["ok": true])
        }
    }

    @Test func stringForAnIntegerInputIsCoerced() async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.executeFlow("Greeting", inputs: ["user_name": "Alice", "count": "5"])
            #expect(response.status == .ok)
            let outputs = try response.json()["outputs"]
            #expect(outputs?["count"] == 5)
            #expect(outputs?["count"]?.stringValue == nil)
        }
    }

    @Test func uncoercibleIntegerIs422IntParsing() async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.executeFlow("Greeting", inputs: ["user_name": "Alice", "count": "many"])
            #expect(response.status == .unprocessableContent)
            let detail = try response.json()[path: "detail.0"]
            #expect(detail?["loc"] == ["body", "inputs", "count"])
            #expect(detail?["type"] == "int_parsing")
        }
    }

    @Test func defaultsApplyWhenAnInputIsAbsent() async throws {
        try await Self.greetingApp().test(.router) { client in
            let body = try await client.executeFlow("Greeting", inputs: ["user_name": "Bob"]).json()
            #expect(body["outputs"] == ["message": "Hello, Bob!", "count": 2])
        }
    }

    @Test func jsonContentTypeWithCharsetIsAccepted() async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.post(
                "/flows/Greeting/execute",
                body: #"{"inputs": {"user_name": "Zoë 🎉"}}"#,
                contentType: "application/json; charset=utf-8"
            )
            #expect(response.status == .ok)
            // Non-ASCII is written raw, as the original's REST bodies do.
            #expect(response.text.contains("Hello, Zoë 🎉!"))
        }
    }

    // MARK: Asynchronous execution

    enum AsyncStyle: String, CaseIterable, Sendable {
        case waitFalse = "?wait=false"
        case preferHeader = "Prefer: respond-async"
    }

    @Test(arguments: AsyncStyle.allCases)
    func asyncExecutionAnswers202WithLocationAndPollingReachesCompleted(_ style: AsyncStyle) async throws {
        let clock = ManualClock()
        let registry = ServerFlows.heldRegistry()
        let app = try TestFlowServer.single(ServerFlows.held, registry: registry, clock: clock)
        try await app.test(.router) { client in
            let response: TestResponse
            if style == .waitFalse {
                response = try await client.executeFlow("Held", query: "?wait=false")
            } else {
                response = try await client.executeFlow("Held", headers: [.testPrefer: "respond-async"])
            }
            #expect(response.status == .accepted)
            let body = try response.json()
            let id = try #require(body["execution_id"]?.stringValue)
            let location = "/flows/Held/executions/\(id)"
            #expect(response.headers[.location] == location)
            #expect(response.executionId == id)
            #expect(body["success"] == true)
            #expect(body["status"] == "running")
            #expect(body["flow"] == "Held")
            #expect(body["status_url"]?.stringValue == location)
            #expect(body["events_url"]?.stringValue == location + "/events")

            await clock.waitForSleepers(count: 1)
            let running = try await client.get(location).json()
            #expect(running["status"] == "running")
            #expect(running["end_time"] == .null)
            #expect(running["mode"] == "async")

            clock.advance(by: .seconds(60))
            // Following the events returns once the run has ended.
            let events = try await client.get(location + "/events")
            #expect(SSEText.eventNames(events.text) == ServerFlows.heldEvents)
            let finished = try await client.poll(location) { $0["status"] != "running" }
            #expect(finished["status"] == "completed")
            #expect(finished["end_time"]?.stringValue != nil)
            #expect(finished[path: "result.success"] == true)
            #expect(finished[path: "result.outputs"] == ["n": 2])
        }
    }

    @Test func asyncExecutionStillValidatesInputsFirst() async throws {
        try await Self.greetingApp().test(.router) { client in
            let response = try await client.post("/flows/Greeting/execute?wait=false", body: #"{"inputs": {}}"#)
            #expect(response.status == .unprocessableContent)
            #expect(try await client.get("/flows/Greeting/executions").json()["count"] == 0)
        }
    }
}
