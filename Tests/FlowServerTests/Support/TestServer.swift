import FlowCore
import FlowServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OrderedCollections
import Synchronization
import Testing

/// Builds FlowLang applications for tests from YAML text and a task registry.
///
/// ```swift
/// let app = try TestFlowServer.single(yaml, registry: registry, clock: clock)
/// try await app.test(.router) { client in
///     let response = try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"])
///     #expect(try response.json()["success"] == true)
/// }
/// ```
enum TestFlowServer {
    static let logger = Logger(label: "flowlang.server-tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Settings for tests: an ephemeral port and no request log lines.
    static func configuration(
        maxBodyBytes: Int = 1 << 20,
        maxExecutionRecords: Int = 1000,
        pingInterval: Duration = .seconds(15)
    ) -> ServerConfiguration {
        ServerConfiguration(
            host: "127.0.0.1",
            port: 0,
            maxBodyBytes: maxBodyBytes,
            maxExecutionRecords: maxExecutionRecords,
            pingInterval: pingInterval,
            requestLogLevel: nil
        )
    }

    /// Loads a flow from YAML text, failing the test with the loader's diagnostics.
    static func flow(_ yaml: String) throws -> FlowDefinition {
        try FlowLoader().load(yaml: yaml)
    }

    /// A flow ready to serve with `registry`'s tasks.
    static func served(_ yaml: String, registry: TaskRegistry = TaskRegistry(), project: String? = nil) throws
        -> ServedFlow
    {
        ServedFlow(definition: try flow(yaml), registry: registry, project: project)
    }

    /// An application serving one flow (the original's single-flow server).
    static func single(
        _ yaml: String,
        registry: TaskRegistry = TaskRegistry(),
        configuration: ServerConfiguration = configuration(),
        store: (any ExecutionStore)? = nil,
        clock: any Clock<Duration> = ContinuousClock()
    ) throws -> some ApplicationProtocol {
        application(
            FlowCatalog(flow: try served(yaml, registry: registry)), configuration: configuration, store: store,
            clock: clock)
    }

    /// An application serving several flows (the original's multi-flow server).
    static func multi(
        _ flows: [ServedFlow],
        projects: [ProjectDefinition] = [],
        configuration: ServerConfiguration = configuration(),
        store: (any ExecutionStore)? = nil,
        clock: any Clock<Duration> = ContinuousClock()
    ) -> some ApplicationProtocol {
        application(
            FlowCatalog(flows: flows, projects: projects), configuration: configuration, store: store, clock: clock)
    }

    /// An application serving `catalog`, its wall clock `now` (triggers' schedules read it): what every test
    /// application is built with.
    static func application(
        _ catalog: FlowCatalog,
        configuration: ServerConfiguration = configuration(),
        store: (any ExecutionStore)? = nil,
        clock: any Clock<Duration> = ContinuousClock(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> some ApplicationProtocol {
        buildApplication(
            catalog: catalog, configuration: configuration, store: store, clock: clock, now: now, logger: logger)
    }

    /// A multi-flow application from YAML texts that share one registry.
    static func multi(
        yamls: [String],
        registry: TaskRegistry = TaskRegistry(),
        configuration: ServerConfiguration = configuration(),
        clock: any Clock<Duration> = ContinuousClock()
    ) throws -> some ApplicationProtocol {
        multi(try yamls.map { try served($0, registry: registry) }, configuration: configuration, clock: clock)
    }
}

// MARK: - Requests

extension HTTPField.Name {
    static let testExecutionId = HTTPField.Name("X-Execution-Id")!
    static let testPrefer = HTTPField.Name("Prefer")!
    static let testAccelBuffering = HTTPField.Name("X-Accel-Buffering")!
}

extension TestClientProtocol {
    /// `GET uri`.
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }

    /// `POST uri` with `body` sent as is; `contentType` nil sends no Content-Type header.
    func post(
        _ uri: String,
        body: String? = nil,
        contentType: String? = "application/json",
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        try await post(uri, bytes: body.map { ByteBuffer(string: $0) }, contentType: contentType, headers: extra)
    }

    /// `POST uri` with raw bytes.
    func post(
        _ uri: String, bytes: ByteBuffer?, contentType: String? = "application/json", headers extra: HTTPFields = [:]
    )
        async throws -> TestResponse
    {
        var headers = extra
        if let contentType { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: .post, headers: headers, body: bytes)
    }

    /// `POST /flows/{flow}/execute` with `{"inputs": inputs}`.
    func executeFlow(_ flow: String, inputs: FlowValue = [:], query: String = "", headers: HTTPFields = [:])
        async throws -> TestResponse
    {
        try await post(
            "/flows/\(flow)/execute\(query)", body: FlowValue.object(["inputs": inputs]).jsonText, headers: headers)
    }

    /// `POST /flows/{flow}/execute/stream` with `{"inputs": inputs}`.
    func streamFlow(_ flow: String, inputs: FlowValue = [:]) async throws -> TestResponse {
        try await post("/flows/\(flow)/execute/stream", body: FlowValue.object(["inputs": inputs]).jsonText)
    }

    /// Polls `uri` (a JSON resource) until `condition` holds, yielding between attempts; no sleeping.
    ///
    /// Records an issue and returns the last body when the condition never holds.
    func poll(
        _ uri: String,
        attempts: Int = 20_000,
        sourceLocation: Testing.SourceLocation = #_sourceLocation,
        until condition: (FlowValue) -> Bool
    ) async throws -> FlowValue {
        var last: FlowValue = .null
        for _ in 0..<attempts {
            last = try await get(uri).json()
            if condition(last) { return last }
            await Task.yield()
        }
        Issue.record(
            "\(uri) never reached the expected state; last body: \(last.jsonText)", sourceLocation: sourceLocation)
        return last
    }
}

extension TestResponse {
    /// The body as UTF-8 text.
    var text: String { String(buffer: body) }

    /// The body parsed as JSON.
    func json() throws -> FlowValue { try FlowValue(json: text) }

    /// The `X-Execution-Id` header.
    var executionId: String? { headers[.testExecutionId] }
}

// MARK: - Values

extension FlowValue {
    /// The member at a dotted path of object keys and array indices, e.g. `"detail.0.loc"`.
    subscript(path path: String) -> FlowValue? {
        var current: FlowValue? = self
        for component in path.split(separator: ".") {
            if let index = Int(component), case .array(let elements)? = current {
                current = elements.indices.contains(index) ? elements[index] : nil
            } else {
                current = current?[String(component)]
            }
        }
        return current
    }

    /// The object's keys in order; empty for other values.
    var keys: [String] { objectValue.map { Array($0.keys) } ?? [] }
}
