import AsyncHTTPClient
import NIOHTTP1
import Synchronization

/// A client for a FlowLang server: runs flows, streams their events, follows and cancels executions.
///
/// ```swift
/// let client = try FlowClient(baseURL: "http://127.0.0.1:8000", apiKey: nil)
/// let result = try await client.execute(flow: "Greet", inputs: ["user_name": "Ada"])
/// print(result.executionId, result.outputs["message"] ?? .null)
/// for try await event in client.stream(flow: "Greet", inputs: ["user_name": "Bo"]) { print(event.type) }
/// try await client.shutdown()
/// ```
///
/// Every call throws a ``FlowClientError``, or `CancellationError` when its task is cancelled (which also cancels
/// the HTTP request). Requests refused for now (429, 503) and failed connections are retried as
/// ``Configuration/retry`` says, sleeping on the client's clock. Call ``shutdown()`` once done, or use
/// ``withClient(baseURL:apiKey:configuration:clock:_:)``.
public final class FlowClient: Sendable {
    /// The server's address, without a trailing slash.
    public var baseURL: String { transport.baseURL.text }
    /// The client's settings.
    public var configuration: Configuration { transport.configuration }

    let transport: Transport
    private let isShutDown = Mutex(false)

    /// A client for the server at `baseURL`, e.g. `http://127.0.0.1:8000`; a path prefix such as
    /// `https://flows.example.com/v2` is kept in front of every path.
    ///
    /// - Parameters:
    ///   - apiKey: sent as `X-API-Key` with every request when given.
    ///   - clock: where retry backoff and ``Configuration/timeout`` wait; tests pass FlowTesting's `ManualClock`.
    /// - Throws: ``FlowClientError/invalidBaseURL(_:)`` unless `baseURL` is an `http` or `https` URL with a host
    ///   and no query or fragment.
    public init(
        baseURL: String,
        apiKey: String? = nil,
        configuration: Configuration = Configuration(),
        clock: any Clock<Duration> = ContinuousClock()
    ) throws(FlowClientError) {
        let base = try BaseURL(baseURL)
        var http = HTTPClient.Configuration()
        // Failed connections are retried by the client's own policy, on its clock, not by the connection pool.
        http.connectionPool.retryConnectionEstablishment = false
        http.redirectConfiguration = .disallow
        transport = Transport(
            http: HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http),
            baseURL: base,
            apiKey: apiKey,
            configuration: configuration,
            clock: clock
        )
    }

    /// Runs `body` with a new client and shuts the client down afterwards, also when `body` throws.
    public static func withClient<Result: Sendable>(
        baseURL: String,
        apiKey: String? = nil,
        configuration: Configuration = Configuration(),
        clock: any Clock<Duration> = ContinuousClock(),
        _ body: (FlowClient) async throws -> Result
    ) async throws -> Result {
        let client = try FlowClient(baseURL: baseURL, apiKey: apiKey, configuration: configuration, clock: clock)
        let result: Result
        do {
            result = try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return result
    }

    /// Closes the client's connections; call it once, when done. Later calls return at once.
    public func shutdown() async throws {
        let first = isShutDown.withLock { isShutDown in
            defer { isShutDown = true }
            return !isShutDown
        }
        guard first else { return }
        try await transport.http.shutdown()
    }

    // MARK: - The server and its flows

    /// `GET /health`: whether the server is up and its flows are ready.
    public func health() async throws -> ServerHealth {
        try ServerHealth(json: try await transport.json(.init(method: .GET, path: "/health", target: .server)).json)
    }

    /// `GET /flows`: every flow the server serves.
    public func flows() async throws -> [FlowInfo] {
        let reply = try await transport.json(.init(method: .GET, path: "/flows", target: .server))
        guard let flows = reply.json.arrayValue else {
            throw FlowClientError.invalidResponse("/flows did not answer a list")
        }
        return try flows.map { flow throws(FlowClientError) in try FlowInfo(json: flow) }
    }

    /// `GET /flows/{flow}`: one flow's inputs, outputs and readiness.
    public func flowInfo(flow: String) async throws -> FlowInfo {
        try FlowInfo(
            json: try await transport.json(.init(method: .GET, path: Self.path(flow), target: .flow(flow))).json
        )
    }

    /// `GET /flows/{flow}/executions`: the flow's executions the server remembers, in the order they started.
    ///
    /// - Parameter limit: how many at most; the server's default (100) when `nil`.
    public func executions(flow: String, limit: Int? = nil) async throws -> [ExecutionStatus] {
        let query = limit.map { "?limit=\($0)" } ?? ""
        let reply = try await transport.json(
            .init(method: .GET, path: Self.path(flow) + "/executions" + query, target: .flow(flow))
        )
        guard let records = reply.json["executions"]?.arrayValue else {
            throw FlowClientError.invalidResponse("the executions answer has no 'executions' list")
        }
        return try records.map { record throws(FlowClientError) in try ExecutionStatus(json: record) }
    }

    /// A handle on an execution known by its id, e.g. one from ``executions(flow:limit:)``; sends nothing.
    public func execution(flow: String, id: String) -> ExecutionHandle {
        ExecutionHandle(transport: transport, flow: flow, executionId: id)
    }

    /// `/flows/{flow}` with the name percent-encoded.
    static func path(_ flow: String) -> String { "/flows/" + pathSegment(flow) }
}
