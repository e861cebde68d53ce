import FlowCore
import FlowServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OrderedCollections
import Testing

@Suite struct OpenAPITests {
    // MARK: - Fixtures

    static let helloWorld = """
        flow: HelloWorld
        description: A simple greeting workflow
        inputs:
          - name: user_name
            type: string
            required: true
            description: Name of the user to greet
        steps:
          - task: Echo
            id: greet
            inputs: {greeting: "Hello, ${inputs.user_name}!"}
        outputs:
          - name: message
            value: ${greet.greeting}
            description: The greeting message
        """

    static let typed = """
        flow: Typed
        description: Every input type
        inputs:
          - name: count
            type: integer
            required: true
            description: How many
          - name: ratio
            type: number
            default: 0.5
          - name: enabled
            type: boolean
            default: true
          - name: tags
            type: array
          - name: options
            type: object
          - name: anything
            type: any
          - name: label
            type: string
            required: true
            default: hello
        steps:
          - task: Echo
            id: echo
            inputs: {count: "${inputs.count}"}
        outputs:
          - name: echoed
            value: ${echo.count}
            description: The count, echoed
        """

    static let logger = Logger(label: "openapi-tests", factory: { _ in SwiftLogNoOpLogHandler() })

    static func served(_ yaml: String, project: String? = nil) throws -> ServedFlow {
        ServedFlow(definition: try FlowLoader().load(yaml: yaml), registry: TaskRegistry(), project: project)
    }

    static func single(_ yaml: String = helloWorld) throws -> some ApplicationProtocol {
        buildApplication(
            catalog: FlowCatalog(flow: try served(yaml)),
            configuration: ServerConfiguration(requestLogLevel: nil),
            logger: logger
        )
    }

    static func multi() throws -> some ApplicationProtocol {
        buildApplication(
            catalog: FlowCatalog(
                flows: [try served(helloWorld, project: "Demo"), try served(typed)],
                projects: [ProjectDefinition(name: "Demo", directory: "/tmp/demo")]
            ),
            configuration: ServerConfiguration(requestLogLevel: nil),
            logger: logger
        )
    }

    /// `GET /openapi.json`, parsed.
    static func document(_ client: some TestClientProtocol) async throws -> FlowValue {
        let response = try await client.execute(uri: "/openapi.json", method: .get)
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/json")
        return try FlowValue(json: String(buffer: response.body))
    }

    /// Every operation of the document as `METHOD /path`.
    static func operations(_ document: FlowValue) -> Set<String> {
        var found = Set<String>()
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            for method in item.objectValue?.keys ?? [] { found.insert("\(method.uppercased()) \(path)") }
        }
        return found
    }

    static func schema(_ document: FlowValue, _ name: String) -> FlowValue? {
        document["components"]?["schemas"]?[name]
    }

    static func ref(_ name: String) -> FlowValue { .string("#/components/schemas/\(name)") }

    static let json = "application/json"

    /// The `$ref` of an operation's JSON request body.
    static func bodyRef(_ operation: FlowValue?) -> FlowValue? {
        operation?["requestBody"]?["content"]?[json]?["schema"]?["$ref"]
    }

    /// The `$ref` of an operation's JSON response for `status`.
    static func responseRef(_ operation: FlowValue?, _ status: String) -> FlowValue? {
        operation?["responses"]?[status]?["content"]?[json]?["schema"]?["$ref"]
    }

    /// The routes the controllers register for one flow, with the flow's name in place.
    static func flowRoutes(_ flow: String) -> [String] {
        let base = "/flows/\(flow)"
        return [
            "GET \(base)", "POST \(base)/execute", "POST \(base)/execute/stream", "GET \(base)/tasks",
            "GET \(base)/visualize", "GET \(base)/executions", "GET \(base)/executions/{execution_id}",
            "POST \(base)/executions/{execution_id}/cancel", "GET \(base)/executions/{execution_id}/events",
        ]
    }

    static let serviceRoutes = ["GET /", "GET /health", "GET /flows"]
    static let projectRoutes = ["GET /projects", "GET /projects/{project_name}", "GET /projects/{project_name}/flows"]

    /// Sends every documented operation to the app and fails for any the router does not route
    /// (its own 404 `{"detail": "Not Found"}` or a 405): the document lists no route that does not exist.
    static func expectEveryOperationIsRouted(_ document: FlowValue, client: some TestClientProtocol) async throws {
        for operation in operations(document).sorted() {
            let parts = operation.split(separator: " ", maxSplits: 1)
            var uri = String(parts[1])
            for (name, value) in [
                "flow_name": "HelloWorld", "execution_id": "no-such-execution", "project_name": "Demo",
                "trigger_id": "no-such-trigger",
            ] {
                uri = uri.replacingOccurrences(of: "{\(name)}", with: value)
            }
            let method = HTTPRequest.Method(String(parts[0])) ?? .get
            let response = try await client.execute(
                uri: uri,
                method: method,
                headers: method == .post ? [.contentType: "application/json"] : [:],
                body: method == .post ? ByteBuffer(string: "{}") : nil
            )
            let body = String(buffer: response.body)
            #expect(response.status != .methodNotAllowed, "\(operation) is not routed: \(body)")
            #expect(
                !(response.status == .notFound && body.contains("\"detail\"")),
                "\(operation) is not routed: \(body)"
            )
        }
    }

    /// Every `$ref` in `value`.
    static func references(_ value: FlowValue) -> [String] {
        switch value {
        case .object(let members):
            return members.flatMap { key, member in
                key == "$ref" ? [member.stringValue ?? ""] : references(member)
            }
        case .array(let elements): return elements.flatMap(references)
        default: return []
        }
    }

    static func expectWellFormed(_ document: FlowValue) {
        let schemas = document["components"]?["schemas"]?.objectValue ?? [:]
        for reference in Set(references(document)) {
            let name = reference.replacingOccurrences(of: "#/components/schemas/", with: "")
            #expect(schemas[name] != nil, "unresolved \(reference)")
        }
        var ids: [String] = []
        for (_, item) in document["paths"]?.objectValue ?? [:] {
            for (_, operation) in item.objectValue ?? [:] {
                ids.append(operation["operationId"]?.stringValue ?? "")
                #expect(operation["responses"]?.objectValue?.isEmpty == false)
            }
        }
        #expect(Set(ids).count == ids.count, "operation ids repeat")
        #expect(!ids.contains(""))
    }

    // MARK: - Single flow

    @Test func singleFlowDocumentIsOpenAPI31TitledAfterTheFlow() async throws {
        try await Self.single().test(.router) { client in
            let document = try await Self.document(client)
            #expect(document["openapi"] == "3.1.0")
            #expect(document["info"]?["title"] == "HelloWorld API")
            #expect(document["info"]?["description"] == "FlowLang API for HelloWorld flow")
            #expect(document["info"]?["version"] == "1.0.0")
            Self.expectWellFormed(document)
        }
    }

    @Test func singleFlowDocumentListsEveryRegisteredRouteAtTheOriginalsPaths() async throws {
        try await Self.single().test(.router) { client in
            let document = try await Self.document(client)
            let documented = Self.operations(document)
            let expected = Set(Self.serviceRoutes + Self.flowRoutes("{flow_name}"))
            #expect(expected.subtracting(documented).isEmpty, "missing: \(expected.subtracting(documented).sorted())")
            #expect(!documented.contains { $0.contains("/flows/HelloWorld") })
            #expect(!documented.contains { $0.contains("/projects") })
            #expect(
                !documented.contains {
                    $0.hasSuffix("/openapi.json") || $0.hasSuffix("/docs") || $0.hasSuffix("/redoc")
                })
            try await Self.expectEveryOperationIsRouted(document, client: client)

            let status = document["paths"]?["/flows/{flow_name}/executions/{execution_id}"]?["get"]
            let parameters = status?["parameters"]?.arrayValue ?? []
            #expect(parameters.map { $0["name"] } == ["flow_name", "execution_id"])
            #expect(parameters.allSatisfy { $0["in"] == "path" && $0["required"] == true })
            // The one flow is the only value, so Swagger UI fills it in.
            #expect(parameters.first?["schema"]?["enum"] == ["HelloWorld"])
            #expect(parameters.first?["schema"]?["default"] == "HelloWorld")
        }
    }

    @Test func helloWorldRequestRequiresTypedInputs() async throws {
        try await Self.single().test(.router) { client in
            let document = try await Self.document(client)
            let request = try #require(Self.schema(document, "HelloWorldRequest"))
            #expect(request["required"] == ["inputs"])
            #expect(request["properties"]?["inputs"]?["$ref"] == Self.ref("HelloWorldInputs"))
            let inputs = try #require(Self.schema(document, "HelloWorldInputs"))
            #expect(inputs["required"] == ["user_name"])
            #expect(inputs["properties"]?["user_name"]?["type"] == "string")
            #expect(inputs["properties"]?["user_name"]?["title"] == "User Name")
            #expect(inputs["properties"]?["user_name"]?["description"] == "Name of the user to greet")

            let execute = try #require(document["paths"]?["/flows/{flow_name}/execute"]?["post"])
            #expect(execute["operationId"] == "execute_flow_flows__flow_name__execute_post")
            #expect(execute["requestBody"]?["required"] == true)
            #expect(Self.bodyRef(execute) == Self.ref("HelloWorldRequest"))
            let stream = try #require(document["paths"]?["/flows/{flow_name}/execute/stream"]?["post"])
            #expect(Self.bodyRef(stream) == Self.ref("HelloWorldRequest"))
            #expect(stream["responses"]?["200"]?["content"]?["text/event-stream"] != nil)
        }
    }

    @Test func executeDescribesAsyncModeErrorsAndTypedOutputs() async throws {
        try await Self.single().test(.router) { client in
            let document = try await Self.document(client)
            let execute = try #require(document["paths"]?["/flows/{flow_name}/execute"]?["post"])
            let parameters = execute["parameters"]?.arrayValue ?? []
            #expect(
                parameters.contains {
                    $0["name"] == "wait" && $0["in"] == "query" && $0["schema"]?["type"] == "boolean"
                })
            #expect(parameters.contains { $0["name"] == "Prefer" && $0["in"] == "header" })
            let responses = execute["responses"]?.objectValue ?? [:]
            #expect(Array(responses.keys) == ["200", "202", "404", "413", "422", "503"])
            #expect(Self.responseRef(execute, "404") == Self.ref("ErrorResponse"))
            #expect(Self.responseRef(execute, "200") == Self.ref("HelloWorldResponse"))
            #expect(Self.responseRef(execute, "202") == Self.ref("ExecutionAccepted"))
            #expect(responses["202"]?["headers"]?["Location"] != nil)
            #expect(Self.responseRef(execute, "422") == Self.ref("HTTPValidationError"))
            let unavailable = responses["503"]?["content"]?["application/json"]?["schema"]?["anyOf"]
            #expect(unavailable == [["$ref": Self.ref("FlowExecuteResponse")], ["$ref": Self.ref("ErrorResponse")]])

            let response = try #require(Self.schema(document, "HelloWorldResponse"))
            #expect(
                response["properties"]?["outputs"]?["anyOf"]?.arrayValue?.first?["$ref"]
                    == Self.ref("HelloWorldOutputs"))
            #expect(response["properties"]?["execution_id"]?["type"] == "string")
            #expect(
                Self.schema(document, "HelloWorldOutputs")?["properties"]?["message"]?["description"]
                    == "The greeting message")
            let original = try #require(Self.schema(document, "FlowExecuteResponse"))
            #expect(original["required"] == ["success", "flow"])

            let visualize = document["paths"]?["/flows/{flow_name}/visualize"]?["get"]
            let format = visualize?["parameters"]?.arrayValue?.first { $0["name"] == "format" }
            #expect(format?["in"] == "query")
            #expect(format?["schema"]?["enum"] == ["json", "mermaid", "html", "svg"])
            let content = visualize?["responses"]?["200"]?["content"]
            #expect(content?["image/svg+xml"]?["schema"]?["type"] == "string")
            #expect(content?["text/html"]?["schema"]?["type"] == "string")
            #expect(Self.responseRef(visualize, "400") == Self.ref("ErrorResponse"))
        }
    }

    @Test func errorSchemasAreTheEnvelopeAndFastAPIsValidationError() async throws {
        try await Self.single().test(.router) { client in
            let document = try await Self.document(client)
            let envelope = try #require(Self.schema(document, "ErrorResponse"))
            #expect(envelope["required"] == ["success", "error", "status_code"])
            #expect(envelope["properties"]?["status_code"]?["type"] == "integer")
            let validation = try #require(Self.schema(document, "HTTPValidationError"))
            #expect(validation["properties"]?["detail"]?["items"]?["$ref"] == Self.ref("ValidationError"))
            let error = try #require(Self.schema(document, "ValidationError"))
            #expect(error["required"] == ["loc", "msg", "type"])
            let status = document["paths"]?["/flows/{flow_name}/executions/{execution_id}"]?["get"]
            #expect(Self.responseRef(status, "404") == Self.ref("ErrorResponse"))
        }
    }

    @Test func inputTypesMapToJSONSchema() async throws {
        try await Self.single(Self.typed).test(.router) { client in
            let document = try await Self.document(client)
            let inputs = try #require(Self.schema(document, "TypedInputs"))
            // `label` is required but has a default, so callers may leave it out.
            #expect(inputs["required"] == ["count"])
            let properties = try #require(inputs["properties"])
            // Integers, numbers and booleans also come as strings in published forms; see ContractTests.
            #expect(properties["count"]?["anyOf"]?.arrayValue?.first?["type"] == "integer")
            #expect(properties["count"]?["anyOf"]?.arrayValue?.count == 2)
            #expect(properties["count"]?["description"] == "How many")
            #expect(properties["ratio"]?["anyOf"]?.arrayValue?.first?["type"] == "number")
            #expect(properties["ratio"]?["anyOf"]?.arrayValue?.last == ["type": "null"])
            #expect(properties["ratio"]?["default"] == 0.5)
            #expect(properties["enabled"]?["anyOf"]?.arrayValue?.first == ["type": "boolean"])
            #expect(properties["enabled"]?["anyOf"]?.arrayValue?.last == ["type": "null"])
            #expect(properties["enabled"]?["default"] == true)
            #expect(properties["tags"]?["anyOf"] == [["items": [:], "type": "array"], ["type": "null"]])
            #expect(
                properties["options"]?["anyOf"] == [
                    ["additionalProperties": true, "type": "object"], ["type": "null"],
                ])
            #expect(properties["anything"]?["type"] == nil)
            #expect(properties["anything"]?["anyOf"] == nil)
            #expect(properties["label"]?["anyOf"] == [["type": "string"], ["type": "null"]])
            #expect(properties["label"]?["default"] == "hello")
            #expect(Self.schema(document, "TypedRequest")?["required"] == ["inputs"])
            #expect(
                Self.schema(document, "TypedOutputs")?["properties"]?["echoed"]?["description"] == "The count, echoed")
        }
    }

    @Test func aFlowWithoutMandatoryInputsTakesAnOptionalBody() async throws {
        let yaml = """
            flow: Ping
            steps:
              - task: Echo
                id: pong
            """
        try await Self.single(yaml).test(.router) { client in
            let document = try await Self.document(client)
            #expect(Self.schema(document, "PingRequest")?["required"] == nil)
            #expect(document["paths"]?["/flows/{flow_name}/execute"]?["post"]?["requestBody"]?["required"] == false)
            Self.expectWellFormed(document)
        }
    }

    static let oddlyNamed = """
        flow: "Tom & Jerry <3"
        steps:
          - task: Echo
            id: chase
        """

    @Test func oddFlowNamesAreSanitizedInSchemaNamesAndEscapedInPages() async throws {
        try await Self.single(Self.oddlyNamed).test(.router) { client in
            let document = try await Self.document(client)
            #expect(document["info"]?["title"] == "Tom & Jerry <3 API")
            #expect(
                Self.bodyRef(document["paths"]?["/flows/{flow_name}/execute"]?["post"])
                    == Self.ref("Tom___Jerry__3Request"))
            Self.expectWellFormed(document)
            let page = String(buffer: try await client.execute(uri: "/docs", method: .get).body)
            #expect(page.contains("<title>Tom &amp; Jerry &lt;3 API - Swagger UI</title>"))
            #expect(!page.contains("Jerry <3"))
        }
    }

    @Test func oddFlowNamesArePercentEncodedInConcretePaths() async throws {
        let app = buildApplication(
            catalog: FlowCatalog(flows: [try Self.served(Self.helloWorld), try Self.served(Self.oddlyNamed)]),
            configuration: ServerConfiguration(requestLogLevel: nil),
            logger: Self.logger
        )
        try await app.test(.router) { client in
            let document = try await Self.document(client)
            let execute = document["paths"]?["/flows/Tom%20%26%20Jerry%20%3C3/execute"]?["post"]
            #expect(Self.bodyRef(execute) == Self.ref("Tom___Jerry__3Request"))
            #expect(execute?["operationId"] == "execute_flow_flows_Tom_20_26_20Jerry_20_3C3_execute_post")
            Self.expectWellFormed(document)
        }
    }

    @Test func webhookRoutesAreDescribedWithTheirFlowAndAuthentication() async throws {
        let yaml =
            Self.helloWorld + """

                triggers:
                  - type: webhook
                    id: greet_hook
                    path: /webhooks/greet
                  - type: webhook
                    id: keyed_hook
                    path: /webhooks/keyed
                    async: true
                    auth: {type: api_key, header: X-Hook-Key, key: not-a-real-secret}
                """
        try await Self.single(yaml).test(.router) { client in
            let document = try await Self.document(client)
            Self.expectWellFormed(document)
            try await Self.expectEveryOperationIsRouted(document, client: client)
            let open = try #require(document["paths"]?["/webhooks/greet"]?["post"])
            #expect(open["tags"] == ["Webhooks"])
            #expect(Self.bodyRef(open) == Self.ref("HelloWorldInputs"))
            #expect(Self.responseRef(open, "200") == Self.ref("WebhookResult"))
            #expect(open["security"] == nil)
            let keyed = try #require(document["paths"]?["/webhooks/keyed"]?["post"])
            #expect(Self.responseRef(keyed, "202") == Self.ref("WebhookAccepted"))
            #expect(keyed["responses"]?["401"] != nil)
            #expect(keyed["security"] == [["WebhookAPIKey_X-Hook-Key": []]])
            let scheme = document["components"]?["securitySchemes"]?["WebhookAPIKey_X-Hook-Key"]
            #expect(scheme == ["type": "apiKey", "in": "header", "name": "X-Hook-Key"])
        }
    }

    // MARK: - Multi flow

    @Test func multiFlowDocumentHasGenericPathsAndATypedPathSetPerFlow() async throws {
        try await Self.multi().test(.router) { client in
            let document = try await Self.document(client)
            #expect(document["openapi"] == "3.1.0")
            #expect(document["info"]?["title"] == "FlowLang Multi-Flow API")
            #expect(document["info"]?["description"] == "FlowLang Multi-Flow API serving 2 flows")
            Self.expectWellFormed(document)

            let documented = Self.operations(document)
            let expected = Set(
                Self.serviceRoutes + Self.flowRoutes("{flow_name}") + Self.flowRoutes("HelloWorld")
                    + Self.flowRoutes("Typed") + Self.projectRoutes
            )
            #expect(expected.subtracting(documented).isEmpty, "missing: \(expected.subtracting(documented).sorted())")
            try await Self.expectEveryOperationIsRouted(document, client: client)

            let paths = try #require(document["paths"])
            let generic = try #require(paths["/flows/{flow_name}/execute"]?["post"])
            #expect(Self.bodyRef(generic) == Self.ref("FlowExecuteRequest"))
            #expect(generic["responses"]?["404"] != nil)
            #expect(generic["parameters"]?.arrayValue?.first?["name"] == "flow_name")
            #expect(generic["parameters"]?.arrayValue?.first?["schema"]?["enum"] == ["HelloWorld", "Typed"])
            #expect(generic["parameters"]?.arrayValue?.first?["schema"]?["default"] == nil)
            #expect(generic["operationId"] == "execute_flow_flows__flow_name__execute_post")
            let hello = paths["/flows/HelloWorld/execute"]?["post"]
            #expect(Self.bodyRef(hello) == Self.ref("HelloWorldRequest"))
            #expect(hello?["tags"] == ["HelloWorld"])
            let typed = paths["/flows/Typed/execute"]?["post"]
            #expect(Self.bodyRef(typed) == Self.ref("TypedRequest"))
            #expect(Self.responseRef(typed, "200") == Self.ref("TypedResponse"))

            #expect(Self.schema(document, "HelloWorldInputs")?["properties"]?["user_name"]?["type"] == "string")
            #expect(
                Self.schema(document, "TypedInputs")?["properties"]?["count"]?["anyOf"]?.arrayValue?.first?["type"]
                    == "integer")
            let project = paths["/projects/{project_name}"]?["get"]
            #expect(project?["parameters"]?.arrayValue?.first?["name"] == "project_name")
            #expect(Self.responseRef(project, "200") == Self.ref("ProjectInfo"))
            let tags = document["tags"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(tags.contains("HelloWorld") && tags.contains("Typed") && tags.contains("Projects"))
        }
    }

    // MARK: - Pages

    @Test func docsAndRedocAreHTMLPagesLoadingTheDocument() async throws {
        try await Self.single().test(.router) { client in
            let docs = try await client.execute(uri: "/docs", method: .get)
            #expect(docs.status == .ok)
            #expect(docs.headers[.contentType]?.hasPrefix("text/html") == true)
            let swagger = String(buffer: docs.body)
            #expect(swagger.contains("<title>HelloWorld API - Swagger UI</title>"))
            #expect(swagger.contains("https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"))
            #expect(swagger.contains("url: \"/openapi.json\""))

            let redoc = try await client.execute(uri: "/redoc", method: .get)
            #expect(redoc.status == .ok)
            #expect(redoc.headers[.contentType]?.hasPrefix("text/html") == true)
            let page = String(buffer: redoc.body)
            #expect(page.contains("<title>HelloWorld API - ReDoc</title>"))
            #expect(page.contains("<redoc spec-url=\"/openapi.json\"></redoc>"))
            #expect(page.contains("redoc.standalone.js"))
        }
    }
}
