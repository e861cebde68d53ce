import AsyncHTTPClient
import FlowCore
import FlowDevelopment
import FlowServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// `flowlang serve --multi`: planning backends from a directory, routing `/flows/<name>/…`, aggregating
/// `/flows` and `/health`, and proxying to a real FlowServer backend (no package builds).
@Suite("Serving several packages behind one address", .timeLimit(.minutes(1)))
struct ServeMultiTests {
    static let logger = Logger(label: "flowlang.multi-tests", factory: { _ in SwiftLogNoOpLogHandler() })
    static let frontConfiguration = ServerConfiguration(host: "127.0.0.1", port: 0, requestLogLevel: nil)

    static let echoFlow = """
        flow: Echoing
        inputs:
          - name: text
            type: string
            required: true
        steps:
          - task: Echo
            id: echo
            inputs: {text: "${inputs.text}"}
        outputs:
          - name: text
            value: ${echo.text}
        """

    static func backend(_ label: String, port: Int, flows: [String]) -> MultiServeBackend {
        MultiServeBackend(label: label, kind: .inProcess(directories: []), port: port, flows: flows)
    }

    @Test func flowNameIsReadFromFlowPathsOnly() {
        #expect(MultiServeRoutes.flowName(inPath: "/flows/Shop") == "Shop")
        #expect(MultiServeRoutes.flowName(inPath: "/flows/Shop/execute/stream") == "Shop")
        #expect(MultiServeRoutes.flowName(inPath: "/flows/My%20Flow/tasks?x=1") == "My Flow")
        #expect(MultiServeRoutes.flowName(inPath: "/flows") == nil)
        #expect(MultiServeRoutes.flowName(inPath: "/health") == nil)
    }

    @Test func plannerGivesEachPackageItsOwnBackendAndGroupsFlowOnlyDirectories() async throws {
        let root = NSTemporaryDirectory() + "flowlang-multi-" + UUID().uuidString
        func write(_ text: String, _ relative: String) throws {
            let path = (root as NSString).appendingPathComponent(relative)
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        try write("flow: Alpha\nsteps: []\n", "alpha/flow.yaml")
        try write("flow: Beta\nsteps: []\n", "beta/flow.yaml")
        try write("flow: Shop\nsteps: []\n", "shop/flow.yaml")
        try write("// swift-tools-version:6.2\n", "shop/Package.swift")
        try write(
            #"{"generator":"flowlang 0","flow":"Shop","module":"Shop","files":{},"tasks":{},"orphans":{}}"#,
            "shop/.flowlang/manifest.json")
        try write("flow: Alpha\nsteps: []\n", "copy/flow.yaml")
        try write("flow: [\n", "broken/flow.yaml")
        try write("notes", "notes/readme.txt")
        var ports = 9000
        let plan = try await MultiServePlanner.plan(directory: root) {
            ports += 1
            return ports
        }
        let backends = plan.routes.backends
        #expect(backends.map(\.label) == ["shop", "built-in tasks"])
        #expect(backends.map(\.port) == [9001, 9002])
        #expect(backends[1].flows == ["Alpha", "Beta"])
        #expect(plan.routes.backend(serving: "Shop")?.label == "shop")
        #expect(plan.skipped.count == 2)
        #expect(plan.skipped.contains { $0.contains("broken") })
        #expect(plan.skipped.contains { $0.contains("flow 'Alpha' is served from") })
    }

    @Test func plannerWithNothingToServeIsAClearError() async throws {
        let root = NSTemporaryDirectory() + "flowlang-multi-empty-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        await #expect(throws: PackageServerError.self) {
            _ = try await MultiServePlanner.plan(directory: root) { 1 }
        }
    }

    @Test func flowsListJoinsEveryAnsweringBackend() async {
        let routes = MultiServeRoutes(backends: [
            Self.backend("a", port: 1, flows: ["A"]), Self.backend("b", port: 2, flows: ["B"]),
            Self.backend("c", port: 3, flows: ["C"]),
        ])
        let flows = await MultiServeFront.aggregateFlows(routes) { port, path in
            #expect(path == "/flows")
            return port == 3 ? nil : [["name": .string(port == 1 ? "A" : "B")]]
        }
        #expect(flows == [["name": "A"], ["name": "B"]])
    }

    @Test func healthIsDegradedWhenABackendDoesNotAnswer() async {
        let routes = MultiServeRoutes(backends: [
            Self.backend("a", port: 1, flows: ["A"]), Self.backend("b", port: 2, flows: ["B"]),
        ])
        let health = await MultiServeFront.aggregateHealth(routes) { port, _ in port == 1 ? ["status": "healthy"] : nil
        }
        #expect(health["status"] == "degraded")
        #expect(health["backends"]?.arrayValue?.last?["status"] == "unreachable")
        let allUp = await MultiServeFront.aggregateHealth(routes) { _, _ in ["status": "healthy"] }
        #expect(allUp["status"] == "healthy")
    }

    @Test func frontProxiesFlowRequestsToTheirBackendAndStreamsEvents() async throws {
        let flow = try FlowLoader().load(yaml: Self.echoFlow)
        let backend = buildApplication(
            catalog: FlowCatalog(flows: [ServedFlow(definition: flow, registry: TaskRegistry())]),
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, requestLogLevel: nil),
            logger: Self.logger
        )
        try await backend.test(.live) { backendClient in
            let port = try #require(backendClient.port)
            let routes = MultiServeRoutes(backends: [Self.backend("echo", port: port, flows: ["Echoing"])])
            let front = MultiServeFront.build(
                routes: routes, configuration: Self.frontConfiguration, client: .shared, logger: Self.logger)
            try await front.test(.live) { client in
                let info = try await client.execute(uri: "/flows/Echoing", method: .get)
                #expect(info.status == .ok)
                #expect(String(buffer: info.body).contains(#""name":"Echoing""#))

                let body = ByteBuffer(string: #"{"inputs": {"text": "hi"}}"#)
                let run = try await client.execute(
                    uri: "/flows/Echoing/execute", method: .post, headers: [.contentType: "application/json"],
                    body: body
                )
                #expect(run.status == .ok)
                #expect(String(buffer: run.body).contains(#""text":"hi""#))

                let stream = try await client.execute(
                    uri: "/flows/Echoing/execute/stream", method: .post, headers: [.contentType: "application/json"],
                    body: body
                )
                #expect(stream.headers[.contentType]?.hasPrefix("text/event-stream") == true)
                #expect(String(buffer: stream.body).contains("event: flow_completed"))

                let missing = try await client.execute(uri: "/flows/Nope/execute", method: .post)
                #expect(missing.status == .notFound)
                #expect(String(buffer: missing.body).contains("Available flows: Echoing"))

                let flows = try await client.execute(uri: "/flows", method: .get)
                #expect(String(buffer: flows.body).contains(#""name":"Echoing""#))

                let health = try await client.execute(uri: "/health", method: .get)
                #expect(health.status == .ok)
                #expect(String(buffer: health.body).contains(#""status":"healthy""#))
            }
        }
    }

    @Test func unreachableBackendIsABadGateway() async throws {
        let routes = MultiServeRoutes(backends: [Self.backend("gone", port: 1, flows: ["Gone"])])
        let front = MultiServeFront.build(
            routes: routes, configuration: Self.frontConfiguration, client: .shared, logger: Self.logger)
        try await front.test(.router) { client in
            let response = try await client.execute(uri: "/flows/Gone", method: .get)
            #expect(response.status == .badGateway)
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .serviceUnavailable)
        }
    }

    @Test func frontRequiresTheAPIKeyAndLimitsEachClientsRateBeforeProxying() async throws {
        let flow = try FlowLoader().load(yaml: Self.echoFlow)
        let keys = APIKeySet(["front-key"])
        let backend = buildApplication(
            catalog: FlowCatalog(flows: [ServedFlow(definition: flow, registry: TaskRegistry())]),
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, requestLogLevel: nil, apiKeys: keys),
            logger: Self.logger
        )
        try await backend.test(.live) { backendClient in
            let port = try #require(backendClient.port)
            let routes = MultiServeRoutes(backends: [Self.backend("echo", port: port, flows: ["Echoing"])])
            var configuration = Self.frontConfiguration
            configuration.apiKeys = keys
            configuration.rateLimit = RateLimit(requests: 2, per: .seconds(3600))
            configuration.corsAllowedOrigins = ["https://app.example.com"]
            let front = MultiServeFront.build(
                routes: routes, configuration: configuration, client: .shared, logger: Self.logger)
            try await front.test(.live) { client in
                let key: HTTPFields = [HTTPField.Name("X-API-Key")!: "front-key", .origin: "https://app.example.com"]
                #expect(try await client.execute(uri: "/flows", method: .get).status == .unauthorized)
                #expect(try await client.execute(uri: "/flows/Echoing", method: .get).status == .unauthorized)
                #expect(try await client.execute(uri: "/health", method: .get).status == .ok)

                let flows = try await client.execute(uri: "/flows", method: .get, headers: key)
                #expect(flows.status == .ok)
                #expect(
                    String(buffer: flows.body).contains(#""name":"Echoing""#),
                    "the front presents a key to its backends")
                #expect(flows.headers[.accessControlAllowOrigin] == "https://app.example.com")
                let info = try await client.execute(uri: "/flows/Echoing", method: .get, headers: key)
                #expect(info.status == .ok)
                #expect(info.headers[.accessControlAllowOrigin] == nil, "only the backend's CORS headers pass through")

                let limited = try await client.execute(uri: "/flows", method: .get, headers: key)
                #expect(limited.status == .tooManyRequests)
                #expect(limited.headers[.retryAfter] != nil)
            }
        }
    }
}
