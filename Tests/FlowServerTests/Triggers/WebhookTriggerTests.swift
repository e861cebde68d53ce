import FlowCore
import FlowServer
import FlowTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OrderedCollections
import Testing

@Suite struct WebhookTriggerTests {
    static func ordersFlow(triggers: String) throws -> FlowDefinition {
        try TestFlowServer.flow(
            """
            flow: Orders
            inputs:
              - name: order_id
                type: string
                required: true
            steps:
              - task: Process
                id: process
                inputs: {order_id: "${inputs.order_id}"}
            outputs:
              - name: result
                value: ${process.result}
            triggers:
            \(triggers)
            """
        )
    }

    static func registry(gate: TaskGate? = nil) -> TaskRegistry {
        var registry = TaskRegistry()
        registry.register("Process") { inputs, _ in
            if let gate { try await gate.pass(inputs) }
            let id = inputs["order_id"]?.stringValue ?? ""
            if id == "bad" { throw TaskError("bad order") }
            return ["result": .string("Processed: \(id)")]
        }
        return registry
    }

    static func post(_ body: String) -> ByteBuffer { ByteBuffer(string: body) }

    // MARK: - Sync and async

    @Test func syncRunAnswersWithTheOriginalShapeAndRecordsTheExecution() async throws {
        let flow = try Self.ordersFlow(triggers: "  - {type: webhook, path: /webhooks/orders}")
        try await TriggerFixtures.application([flow], registry: Self.registry()).test(.router) { client in
            let id = try await client.execute(
                uri: "/webhooks/orders", method: .post, body: Self.post(#"{"order_id": "A1"}"#)
            ) {
                response in
                #expect(response.status == .ok)
                #expect(
                    String(buffer: response.body)
                        == #"{"success":true,"outputs":{"result":"Processed: A1"},"error":null,"flow":"Orders","execution":"sync"}"#
                )
                return try #require(response.headers[HTTPField.Name("X-Execution-Id")!])
            }
            try await client.execute(uri: "/flows/Orders/executions/\(id)", method: .get) { response in
                let record = try TriggerFixtures.json(response)
                #expect(record["mode"] == "webhook")
                #expect(record["status"] == "completed")
            }
            try await client.execute(uri: "/flows/Orders/triggers/Orders_webhook_0", method: .get) { response in
                let status = try TriggerFixtures.json(response)
                #expect(status["executions"] == 1)
                #expect(status["errors"] == 0)
                #expect(status["last_error"] == .null)
                #expect(status["last_execution_id"] == .string(id))
                #expect(status["last_execution_time"]?.doubleValue != nil)
            }
        }
    }

    @Test func aFailingFlowAnswers500AndCountsAnError() async throws {
        let flow = try Self.ordersFlow(triggers: "  - {type: webhook, path: /webhooks/orders}")
        try await TriggerFixtures.application([flow], registry: Self.registry()).test(.router) { client in
            try await client.execute(uri: "/webhooks/orders", method: .post, body: Self.post(#"{"order_id": "bad"}"#)) {
                response in
                #expect(response.status == .internalServerError)
                #expect(
                    String(buffer: response.body)
                        == #"{"success":false,"outputs":null,"error":"bad order","flow":"Orders","execution":"sync"}"#
                )
            }
            try await client.execute(uri: "/flows/Orders/triggers/Orders_webhook_0", method: .get) { response in
                let status = try TriggerFixtures.json(response)
                #expect(status["executions"] == 1)
                #expect(status["errors"] == 1)
                #expect(status["last_error"] == "bad order")
            }
        }
    }

    @Test func asyncRunAnswers202WithTheExecutionIdAndRunsInTheBackground() async throws {
        let gate = TaskGate()
        let flow = try Self.ordersFlow(triggers: "  - {type: webhook, path: /webhooks/orders, async: true}")
        try await TriggerFixtures.application([flow], registry: Self.registry(gate: gate)).test(.router) { client in
            let id = try await client.execute(
                uri: "/webhooks/orders", method: .post, body: Self.post(#"{"order_id": "A2"}"#)
            ) {
                response in
                #expect(response.status == .accepted)
                let body = try TriggerFixtures.json(response)
                #expect(body["success"] == true)
                #expect(body["message"] == "Flow Orders triggered successfully")
                #expect(body["execution"] == "async")
                let id = try #require(body["execution_id"]?.stringValue)
                #expect(body["status_url"] == .string("/flows/Orders/executions/\(id)"))
                #expect(response.headers[.location] == "/flows/Orders/executions/\(id)")
                return id
            }
            var started = gate.started.makeAsyncIterator()
            let inputs = try #require(await started.next())
            #expect(inputs["order_id"] == "A2")
            try await client.execute(uri: "/flows/Orders/executions/\(id)", method: .get) { response in
                let record = try TriggerFixtures.json(response)
                #expect(record["status"] == "running")
                #expect(record["mode"] == "webhook")
            }
            gate.open()
            _ = try await client.poll("/flows/Orders/executions/\(id)") { $0["status"] == "completed" }
            // The trigger's status counts the background run once it has finished.
            let status = try await client.poll("/flows/Orders/triggers/Orders_webhook_0") { $0["executions"] == 1 }
            #expect(status["last_execution_id"] == .string(id))
            #expect(status["errors"] == 0)
        }
    }

    // MARK: - Input problems, readiness

    @Test func aMissingRequiredInputAnswers422() async throws {
        let flow = try Self.ordersFlow(triggers: "  - {type: webhook, path: /webhooks/orders}")
        try await TriggerFixtures.application([flow], registry: Self.registry()).test(.router) { client in
            try await client.execute(uri: "/webhooks/orders", method: .post, body: Self.post(#"{"message": "hi"}"#)) {
                response in
                #expect(response.status == .unprocessableContent)
                #expect(
                    String(buffer: response.body)
                        == #"{"success":false,"outputs":null,"error":"Required input 'order_id' not provided","flow":"Orders","execution":"sync"}"#
                )
            }
            try await client.execute(uri: "/webhooks/orders", method: .post, body: Self.post("{not json")) { response in
                #expect(response.status == .unprocessableContent)
                let error = try TriggerFixtures.json(response)["error"]?.stringValue ?? ""
                #expect(error.hasPrefix("Request body is not valid JSON"))
            }
            try await client.execute(uri: "/flows/Orders/triggers/Orders_webhook_0", method: .get) { response in
                let status = try TriggerFixtures.json(response)
                #expect(status["executions"] == 0)
                #expect(status["errors"] == 2)
            }
        }
    }

    @Test func aFlowThatIsNotReadyAnswers503() async throws {
        let flow = try Self.ordersFlow(triggers: "  - {type: webhook, path: /webhooks/orders}")
        var registry = TaskRegistry()
        registry.registerStub("Process")
        try await TriggerFixtures.application([flow], registry: registry).test(.router) { client in
            try await client.execute(uri: "/webhooks/orders", method: .post, body: Self.post(#"{"order_id": "A1"}"#)) {
                response in
                #expect(response.status == .serviceUnavailable)
                let body = try TriggerFixtures.json(response)
                #expect(body["success"] == false)
                #expect(body["error"] == "Flow not ready for execution")
                #expect(body["pending_tasks"] == ["Process"])
                #expect(body["execution"] == "sync")
            }
        }
    }

    @Test func anotherMethodOnTheWebhookPathAnswers405() async throws {
        let flow = try Self.ordersFlow(triggers: "  - {type: webhook, path: /webhooks/orders}")
        try await TriggerFixtures.application([flow], registry: Self.registry()).test(.router) { client in
            try await client.execute(uri: "/webhooks/orders", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
        }
    }

    @Test func anotherMethodOnAWebhookPathWithAParameterAnswers405() async throws {
        let flow = try Self.ordersFlow(triggers: "  - {type: webhook, path: \"/webhooks/orders/{order_id}\"}")
        try await TriggerFixtures.application([flow], registry: Self.registry()).test(.router) { client in
            try await client.execute(uri: "/webhooks/orders/A1", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
                let body = try TriggerFixtures.json(response)
                #expect(body == ["detail": "Method Not Allowed"])
            }
        }
    }

    // MARK: - Input mapping

    @Test func inputMappingReadsBodyHeadersQueryAndPath() async throws {
        let flow = try TestFlowServer.flow(
            """
            flow: Mapper
            inputs:
              - {name: order_id, type: string, required: true}
              - {name: quantity, type: integer}
              - {name: request_id, type: string}
              - {name: source, type: string}
              - {name: tenant, type: string}
              - {name: first_item, type: string}
              - {name: missing, type: string}
            steps:
              - task: Echo
                id: echo
                inputs: {x: 1}
            outputs:
              - {name: order_id, value: "${inputs.order_id}"}
              - {name: quantity, value: "${inputs.quantity}"}
              - {name: request_id, value: "${inputs.request_id}"}
              - {name: source, value: "${inputs.source}"}
              - {name: tenant, value: "${inputs.tenant}"}
              - {name: first_item, value: "${inputs.first_item}"}
              - {name: missing, value: "${inputs.missing}"}
              - {name: webhook, value: "${inputs._webhook}"}
            triggers:
              - type: webhook
                path: /hooks/{tenant}/orders
                input_mapping:
                  order_id: body.order.id
                  quantity: body.order.quantity
                  request_id: headers.X-Request-Id
                  source: query.src
                  tenant: path.tenant
                  first_item: body.order.items.0
                  missing: body.nothing.here
            """
        )
        try await TriggerFixtures.application([flow]).test(.router) { client in
            let body = #"{"order": {"id": "A7", "quantity": "3", "items": ["pen", "ink"]}}"#
            try await client.execute(
                uri: "/hooks/acme/orders?src=shop",
                method: .post,
                headers: [HTTPField.Name("X-Request-Id")!: "r-42"],
                body: Self.post(body)
            ) { response in
                #expect(response.status == .ok)
                let outputs = try TriggerFixtures.json(response)["outputs"]
                #expect(outputs?["order_id"] == "A7")
                #expect(outputs?["quantity"] == 3)
                #expect(outputs?["request_id"] == "r-42")
                #expect(outputs?["source"] == "shop")
                #expect(outputs?["tenant"] == "acme")
                #expect(outputs?["first_item"] == "pen")
                #expect(outputs?["missing"] == .null)
                #expect(
                    outputs?["webhook"]
                        == ["method": "POST", "path": "/hooks/acme/orders", "trigger_id": "Mapper_webhook_0"]
                )
            }
        }
    }

    @Test func aNonObjectBodyBecomesTheBodyInput() async throws {
        let flow = try TestFlowServer.flow(
            """
            flow: Raw
            inputs: [{name: body, type: array, required: true}]
            steps: [{task: Echo, id: echo, inputs: {x: 1}}]
            outputs: [{name: count, value: "${inputs.body}"}]
            triggers: [{type: webhook, path: /raw}]
            """
        )
        try await TriggerFixtures.application([flow]).test(.router) { client in
            try await client.execute(uri: "/raw", method: .post, body: Self.post("[1, 2]")) { response in
                #expect(response.status == .ok)
                let json = try TriggerFixtures.json(response)
                #expect(json["outputs"]?["count"] == [1, 2])
            }
        }
    }

    // MARK: - Authentication

    static let apiKeyTrigger = """
          - type: webhook
            path: /webhooks/orders
            auth: {type: api_key, key: "${WEBHOOK_KEY}"}
        """

    @Test func apiKeyAuthentication() async throws {
        let flow = try Self.ordersFlow(triggers: Self.apiKeyTrigger)
        let app = TriggerFixtures.application([flow], registry: Self.registry(), environment: ["WEBHOOK_KEY": "s3cret"])
        try await app.test(.router) { client in
            let body = Self.post(#"{"order_id": "A1"}"#)
            try await client.execute(uri: "/webhooks/orders", method: .post, body: body) { response in
                #expect(response.status == .unauthorized)
                #expect(
                    String(buffer: response.body)
                        == #"{"success":false,"error":"Missing authentication header: X-API-Key","status_code":401}"#
                )
            }
            for wrong in ["s3cre", "s3cret!", "S3CRET", "x"] {
                try await client.execute(
                    uri: "/webhooks/orders",
                    method: .post,
                    headers: [HTTPField.Name("X-API-Key")!: wrong],
                    body: body
                ) { response in
                    #expect(response.status == .unauthorized)
                    let json = try TriggerFixtures.json(response)
                    #expect(json["error"] == "Invalid API key")
                }
            }
            try await client.execute(
                uri: "/webhooks/orders",
                method: .post,
                headers: [HTTPField.Name("x-api-key")!: "s3cret"],
                body: body
            ) { response in
                #expect(response.status == .ok)
                let json = try TriggerFixtures.json(response)
                #expect(json["outputs"]?["result"] == "Processed: A1")
            }
            try await client.execute(uri: "/flows/Orders/triggers/Orders_webhook_0", method: .get) { response in
                let status = try TriggerFixtures.json(response)
                #expect(status["auth_enabled"] == true)
                #expect(status["auth_type"] == "api_key")
                #expect(status["executions"] == 1)
                #expect(status["errors"] == 0)
            }
        }
    }

    @Test func bearerAuthentication() async throws {
        let flow = try Self.ordersFlow(
            triggers: """
                  - type: webhook
                    path: /webhooks/orders
                    auth: {type: bearer, token: "${TOKEN}"}
                """
        )
        let app = TriggerFixtures.application([flow], registry: Self.registry(), environment: ["TOKEN": "tok-123"])
        try await app.test(.router) { client in
            let body = Self.post(#"{"order_id": "A1"}"#)
            let cases: [(String?, String)] = [
                (nil, "Missing Authorization header"),
                ("Token tok-123", "Invalid Authorization header format. Expected: Bearer <token>"),
                ("Bearer", "Invalid Authorization header format. Expected: Bearer <token>"),
                ("Bearer tok-12", "Invalid bearer token"),
                ("Bearer tok-1234", "Invalid bearer token"),
            ]
            for (authorization, message) in cases {
                var headers = HTTPFields()
                headers[.authorization] = authorization
                try await client.execute(uri: "/webhooks/orders", method: .post, headers: headers, body: body) {
                    response in
                    #expect(response.status == .unauthorized)
                    let json = try TriggerFixtures.json(response)
                    #expect(json["error"] == .string(message))
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                }
            }
            try await client.execute(
                uri: "/webhooks/orders",
                method: .post,
                headers: [.authorization: "bearer tok-123"],
                body: body
            ) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func theCredentialHeaderNeverReachesTheFlow() async throws {
        let flow = try TestFlowServer.flow(
            """
            flow: Headers
            steps: [{task: Echo, id: echo, inputs: {x: 1}}]
            outputs: [{name: headers, value: "${inputs.headers}"}, {name: auth, value: "${inputs._auth}"}]
            triggers:
              - {type: webhook, path: /h, input_mapping: all, auth: {type: api_key, key: "${K}"}}
            """
        )
        try await TriggerFixtures.application([flow], environment: ["K": "key"]).test(.router) { client in
            try await client.execute(
                uri: "/h",
                method: .post,
                headers: [HTTPField.Name("X-API-Key")!: "key", HTTPField.Name("X-Other")!: "visible"],
                body: Self.post("{}")
            ) { response in
                let outputs = try TriggerFixtures.json(response)["outputs"]
                #expect(outputs?["headers"]?["x-other"] == "visible")
                #expect(outputs?["headers"]?["x-api-key"] == nil)
                #expect(outputs?["auth"] == ["auth_type": "api_key", "authenticated": true])
            }
        }
    }

    @Test func aMissingEnvironmentVariableDisablesTheWebhook() async throws {
        let flow = try Self.ordersFlow(triggers: Self.apiKeyTrigger)
        try await TriggerFixtures.application([flow], registry: Self.registry()).test(.router) { client in
            try await client.execute(
                uri: "/webhooks/orders",
                method: .post,
                headers: [HTTPField.Name("X-API-Key")!: "${WEBHOOK_KEY}"],
                body: Self.post(#"{"order_id": "A1"}"#)
            ) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/flows/Orders/triggers/Orders_webhook_0", method: .get) { response in
                let status = try TriggerFixtures.json(response)
                #expect(status["running"] == false)
                #expect(
                    status["last_error"]
                        == "auth.key: environment variable 'WEBHOOK_KEY' is not set; the webhook is disabled")
                #expect(status["path"] == "/webhooks/orders")
                #expect(status["auth_type"] == "api_key")
            }
        }
    }

    // MARK: - Route conflicts

    @Test func aDuplicatePathKeepsTheFirstWebhook() async throws {
        let first = try TestFlowServer.flow(
            """
            flow: A
            steps: [{task: Echo, id: echo, inputs: {from: A}}]
            outputs: [{name: from, value: "${echo.from}"}]
            triggers: [{type: webhook, path: /hooks/shared}]
            """
        )
        let second = try TestFlowServer.flow(
            """
            flow: B
            steps: [{task: Echo, id: echo, inputs: {from: B}}]
            outputs: [{name: from, value: "${echo.from}"}]
            triggers: [{type: webhook, path: hooks/shared/}, {type: webhook, path: /health, method: GET}]
            """
        )
        try await TriggerFixtures.application([first, second]).test(.router) { client in
            try await client.execute(uri: "/hooks/shared", method: .post) { response in
                let json = try TriggerFixtures.json(response)
                #expect(json["outputs"]?["from"] == "A")
            }
            try await client.execute(uri: "/flows/B/triggers", method: .get) { response in
                let body = try TriggerFixtures.json(response)
                #expect(body["count"] == 2)
                let statuses = body["triggers"]?.arrayValue ?? []
                #expect(
                    statuses.first?["last_error"]
                        == "path: POST /hooks/shared is already used by trigger 'A_webhook_0' of flow 'A'; this webhook is skipped"
                )
                #expect(
                    statuses.last?["last_error"]
                        == "path: GET /health is a built-in route of the server; this webhook is skipped")
                #expect(statuses.allSatisfy { $0["running"] == false })
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
