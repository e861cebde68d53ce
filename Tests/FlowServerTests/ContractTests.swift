import FlowCore
import FlowServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OrderedCollections
import Testing

/// What the OpenAPI document states, the server does (issue #14): query parameters within their declared
/// limits, input strings in their published forms, nullability where null is taken, and every answered
/// content type and status listed. `scripts/schemathesis.sh` checks the same end to end.
@Suite(.timeLimit(.minutes(1)))
struct ContractTests {
    static let typed = """
        flow: Typed
        inputs:
          - name: count
            type: integer
            required: true
          - name: ratio
            type: number
            default: 0.5
          - name: enabled
            type: boolean
            default: false
          - name: anything
            type: any
            required: true
        steps:
          - task: Echo
            id: echo
            inputs: {count: "${inputs.count}", ratio: "${inputs.ratio}", enabled: "${inputs.enabled}"}
        outputs:
          - name: count
            value: ${echo.count}
          - name: ratio
            value: ${echo.ratio}
          - name: enabled
            value: ${echo.enabled}
        """

    /// `Defaults`: every input optional.
    static let defaults = """
        flow: Defaults
        inputs:
          - name: user_name
            type: string
            default: Bob
        steps:
          - task: Echo
            id: echo
            inputs: {user_name: "${inputs.user_name}"}
        """

    /// Runs `body` with the application's OpenAPI document.
    static func withDocument(_ app: some ApplicationProtocol, _ body: @Sendable (FlowValue) throws -> Void) async throws
    {
        try await app.test(.router) { client in try body(try await client.get("/openapi.json").json()) }
    }

    // MARK: Query parameters

    @Test func aNegativeLimitIsRefusedWith422() async throws {
        try await TestFlowServer.single(ServerFlows.quick).test(.router) { client in
            let response = try await client.get("/flows/Quick/executions?limit=-1")
            #expect(response.status == .unprocessableContent)
            let detail = try response.json()[path: "detail.0"]
            #expect(detail?["type"] == "greater_than_equal")
            #expect(detail?["loc"] == ["query", "limit"])
            #expect(detail?["input"] == "-1")
        }
    }

    @Test(arguments: ["abc", "1.5", "", "99999999999999999999"])
    func aLimitThatIsNotAWholeNumberIsRefusedWith422(_ limit: String) async throws {
        try await TestFlowServer.single(ServerFlows.quick).test(.router) { client in
            let response = try await client.get("/flows/Quick/executions?limit=\(limit)")
            #expect(response.status == .unprocessableContent)
            #expect(try response.json()[path: "detail.0.type"] == "int_parsing")
        }
    }

    @Test(arguments: ["1135", "yes", "0", ""])
    func aWaitThatIsNotTrueOrFalseIsRefusedWith422(_ wait: String) async throws {
        try await TestFlowServer.single(ServerFlows.greeting).test(.router) { client in
            let response = try await client.executeFlow(
                "Greeting", inputs: ["user_name": "Alice"], query: "?wait=\(wait)")
            #expect(response.status == .unprocessableContent)
            let detail = try response.json()[path: "detail.0"]
            #expect(detail?["type"] == "bool_parsing")
            #expect(detail?["loc"] == ["query", "wait"])
        }
    }

    @Test func waitTrueRunsSynchronouslyAndWaitFalseAnswers202() async throws {
        try await TestFlowServer.single(ServerFlows.greeting).test(.router) { client in
            let sync = try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"], query: "?wait=true")
            #expect(sync.status == .ok)
            let background = try await client.executeFlow(
                "Greeting", inputs: ["user_name": "Alice"], query: "?wait=False")
            #expect(background.status == .accepted)
        }
    }

    // MARK: Cancel by id

    @Test func aCancelBodyNamingNoExecutionIsRefusedEvenWhenTheQueryNamesOne() async throws {
        try await TestFlowServer.single(ServerFlows.greeting).test(.router) { client in
            let id = try #require(try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"]).executionId)
            for body in [#"{"execution_id": 5}"#, #"{"execution_id": ""}"#, #"{"execution_id": null}"#, "[]"] {
                let response = try await client.post("/flows/Greeting/cancel?execution_id=\(id)", body: body)
                #expect(response.status == .unprocessableContent, "\(body)")
            }
        }
    }

    @Test func theQueryNamesTheExecutionWithNoBodyOrAnEmptyObject() async throws {
        try await TestFlowServer.single(ServerFlows.greeting).test(.router) { client in
            let id = try #require(try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"]).executionId)
            for body in [nil, "{}"] {
                let response = try await client.post("/flows/Greeting/cancel?execution_id=\(id)", body: body)
                #expect(response.status == .ok)
                #expect(try response.json()["status"] == "completed")
            }
        }
    }

    // MARK: Inputs

    @Test(arguments: [
        ("count", "5 "), ("count", "0x10"), ("count", "1234567890123456789"), ("ratio", "1e400"), ("ratio", "NaN"),
    ])
    func aStringOutsideItsPublishedFormIsRefusedWith422Parsing(_ input: String, _ text: String) async throws {
        try await TestFlowServer.single(Self.typed).test(.router) { client in
            var inputs: OrderedDictionary<String, FlowValue> = ["count": 1, "anything": 1]
            inputs[input] = .string(text)
            let response = try await client.executeFlow("Typed", inputs: .object(inputs))
            #expect(response.status == .unprocessableContent)
            let detail = try response.json()[path: "detail.0"]
            #expect(detail?["loc"] == ["body", "inputs", .string(input)])
            #expect(detail?["type"] == (input == "count" ? "int_parsing" : "float_parsing"))
            #expect(detail?["input"] == .string(text))
        }
    }

    @Test func stringsInTheirPublishedFormsAreCoerced() async throws {
        try await TestFlowServer.single(Self.typed).test(.router) { client in
            let response = try await client.executeFlow(
                "Typed",
                inputs: ["count": "-42", "ratio": "2.5e-3", "enabled": "Yes", "anything": "x"]
            )
            #expect(response.status == .ok)
            #expect(try response.json()["outputs"] == ["count": -42, "ratio": 0.0025, "enabled": true])
        }
    }

    @Test func aBooleanAnswersToOneAndZeroAsNumbers() async throws {
        try await TestFlowServer.single(Self.typed).test(.router) { client in
            let response = try await client.post(
                "/flows/Typed/execute", body: #"{"inputs": {"count": 1, "anything": 1, "enabled": 1.0}}"#)
            #expect(response.status == .ok)
            #expect(try response.json()[path: "outputs.enabled"] == true)
        }
    }

    @Test func anIntegerBeyond64BitsIsRefusedWith422() async throws {
        try await TestFlowServer.single(Self.typed).test(.router) { client in
            let response = try await client.post(
                "/flows/Typed/execute", body: #"{"inputs": {"count": 9223372036854775808, "anything": 1}}"#)
            #expect(response.status == .unprocessableContent)
            #expect(try response.json()[path: "detail.0.type"] == "int_type")
        }
    }

    @Test func aNumberTooLargeForADoubleIsRefusedAsInvalidJSON() async throws {
        try await TestFlowServer.single(Self.typed).test(.router) { client in
            let response = try await client.post(
                "/flows/Typed/execute", body: #"{"inputs": {"count": 1, "anything": 1, "ratio": 1e400}}"#)
            #expect(response.status == .unprocessableContent)
            #expect(try response.json()[path: "detail.0.type"] == "json_invalid")
        }
    }

    // MARK: The document

    @Test func inputSchemasPublishTheStringFormsTheBoundsAndNullability() async throws {
        try await Self.withDocument(TestFlowServer.single(Self.typed)) { document in
            let schemas = document[path: "components.schemas"]
            let count = try #require(schemas?[path: "TypedInputs.properties.count.anyOf"]?.arrayValue)
            #expect(count.first?["maximum"] == .int(Int.max))
            #expect(count.last?["pattern"] == "^[+-]?[0-9]{1,18}$")
            // Optional inputs take null; a mandatory `any` input takes everything but null.
            #expect(schemas?[path: "TypedInputs.properties.ratio.anyOf"]?.arrayValue?.last == ["type": "null"])
            #expect(schemas?[path: "TypedInputs.properties.enabled.anyOf"]?.arrayValue?.count == 4)
            #expect(schemas?[path: "TypedInputs.properties.anything.not"] == ["type": "null"])
        }
    }

    @Test func aFlowWithoutMandatoryInputsTakesNullInputs() async throws {
        try await Self.withDocument(TestFlowServer.single(Self.defaults)) { document in
            let inputs = document[path: "components.schemas.DefaultsRequest.properties.inputs.anyOf"]
            #expect(inputs?.arrayValue?.last == ["type": "null"])
        }
    }

    @Test func streamsAreDocumentedAsEventStreamsOfTypedEvents() async throws {
        try await Self.withDocument(TestFlowServer.single(ServerFlows.greeting)) { document in
            let stream = document[path: "paths./flows/{flow_name}/execute/stream.post.responses"]
            #expect(stream?[path: "200.content.text/event-stream.schema.$ref"] == "#/components/schemas/ExecutionEvent")
            #expect(stream?[path: "503.content.text/event-stream.schema.$ref"] == "#/components/schemas/NotReadyEvent")
            let event = document[path: "components.schemas.ExecutionEvent.properties"]
            #expect(event?[path: "event.enum"]?.arrayValue?.count == ExecutionEvent.Kind.allCases.count)
            #expect(event?[path: "data.contentSchema.$ref"] == "#/components/schemas/ExecutionEventData")
            #expect(document[path: "components.schemas.ExecutionEventData"] != nil)
        }
    }

    @Test func metricsAreDocumentedAsPlainText() async throws {
        let app = buildApplication(
            catalog: FlowCatalog(flow: try TestFlowServer.served(ServerFlows.quick)),
            configuration: TestFlowServer.configuration(),
            observability: ServerObservability(metrics: ServerMetrics()),
            logger: TestFlowServer.logger
        )
        try await Self.withDocument(app) { document in
            #expect(document[path: "paths./metrics.get.responses.200.content.text/plain"] != nil)
            #expect(document[path: "paths./metrics.get.responses.200.content.application/json"] == nil)
        }
    }

    @Test func theLimitParameterStatesItsBoundsAndItsRefusal() async throws {
        try await Self.withDocument(TestFlowServer.single(ServerFlows.quick)) { document in
            let operation = document[path: "paths./flows/{flow_name}/executions.get"]
            let limit = operation?["parameters"]?.arrayValue?.first { $0["name"] == "limit" }
            #expect(limit?[path: "schema.minimum"] == 0)
            #expect(limit?[path: "schema.maximum"] == .int(Int.max))
            #expect(operation?[path: "responses.422"] != nil)
        }
    }

    @Test func aRateLimitedServerDocuments429WithRetryAfterButNotOnTheProbes() async throws {
        var configuration = TestFlowServer.configuration()
        configuration.rateLimit = RateLimit(requests: 100, per: .seconds(1))
        try await Self.withDocument(TestFlowServer.single(ServerFlows.quick, configuration: configuration)) {
            document in
            #expect(document[path: "paths./flows.get.responses.429.headers.Retry-After"] != nil)
            #expect(document[path: "paths./health.get.responses.429"] == nil)
        }
    }
}
