import FlowCore
import FlowServer
import FlowTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /metrics` (issue #7): Prometheus text that parses and counts what happened.
@Suite(.timeLimit(.minutes(1)))
struct MetricsTests {
    static let retrying = """
        flow: Retrying
        steps:
          - task: Echo
            id: first
            inputs: {n: 1}
          - task: Fail
            id: charge
            retry: {max_attempts: 3, delay_seconds: 1}
            inputs: {message: card declined, type: PaymentDeclined}
        """

    static func app(_ yaml: String = ServerFlows.greeting, metrics: ServerMetrics) throws -> some ApplicationProtocol {
        buildApplication(
            catalog: FlowCatalog(flow: try TestFlowServer.served(yaml)),
            configuration: TestFlowServer.configuration(),
            clock: ImmediateClock(),
            observability: ServerObservability(metrics: metrics),
            logger: TestFlowServer.logger
        )
    }

    @Test func executionsAreCountedByFlowAndStatus() async throws {
        let metrics = ServerMetrics()
        try await Self.app(metrics: metrics).test(.router) { client in
            for name in ["Ann", "Bob", "Cy", "Di", "Ed"] {
                #expect(try await client.executeFlow("Greeting", inputs: ["user_name": .string(name)]).status == .ok)
            }
            _ = try await client.executeFlow("Greeting", inputs: ["user_name": "boom"])
            _ = try await client.executeFlow("Greeting", inputs: ["user_name": "boom"])
            _ = try await client.executeFlow("Greeting", inputs: ["user_name": "stop"])

            let response = try await client.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let text = MetricsText(response.text)
            func executions(_ status: String) -> Double? {
                text.value("flowlang_executions_total", ["flow": "Greeting", "status": status])
            }
            #expect(executions("completed") == 5)
            #expect(executions("failed") == 2)
            #expect(executions("terminated") == 1)
            #expect(executions("cancelled") == 0)
            #expect(text.value("flowlang_execution_duration_seconds_count", ["flow": "Greeting"]) == 8)
            #expect(text.value("flowlang_active_executions", ["flow": "Greeting"]) == 0)
            #expect(text.value("flowlang_step_duration_seconds_count", ["task": "Echo"]) == 5)
            #expect(text.value("flowlang_step_failures_total", ["task": "Fail"]) == 2)
        }
    }

    @Test func retriesAndFailuresAreCountedByTask() async throws {
        let metrics = ServerMetrics()
        try await Self.app(Self.retrying, metrics: metrics).test(.router) { client in
            for _ in 0..<3 {
                let body = try await client.executeFlow("Retrying").json()
                #expect(body["success"] == false)
            }
            let text = MetricsText(try await client.get("/metrics").text)
            #expect(text.value("flowlang_task_retries_total", ["task": "Fail"]) == 6)
            #expect(text.value("flowlang_step_failures_total", ["task": "Fail"]) == 3)
            #expect(text.value("flowlang_step_failures_total", ["task": "Echo"]) == 0)
            #expect(text.value("flowlang_step_duration_seconds_count", ["task": "Echo"]) == 3)
            #expect(text.value("flowlang_step_duration_seconds_count", ["task": "Fail"]) == 3)
            #expect(text.value("flowlang_executions_total", ["flow": "Retrying", "status": "failed"]) == 3)
        }
    }

    @Test func requestsAreCountedByRouteTemplateNotRawPath() async throws {
        let metrics = ServerMetrics()
        try await Self.app(metrics: metrics).test(.router) { client in
            for _ in 0..<4 { _ = try await client.executeFlow("Greeting", inputs: ["user_name": "Ann"]) }
            _ = try await client.executeFlow("Nope")
            _ = try await client.get("/health")
            _ = try await client.get("/no/such/page")
            _ = try await client.get("/no/other/page")

            let text = MetricsText(try await client.get("/metrics").text)
            let requests = text.all("http_requests_total")
            func count(_ route: String, _ method: String, _ status: String) -> Double? {
                text.value("http_requests_total", ["route": route, "method": method, "status": status])
            }
            #expect(count("/flows/{flow}/execute", "POST", "200") == 4)
            #expect(count("/flows/{flow}/execute", "POST", "404") == 1)
            #expect(count("/health", "GET", "200") == 1)
            #expect(count("unmatched", "GET", "404") == 2)
            #expect(!requests.contains { $0.labels["route"]?.contains("Greeting") == true })
            #expect(
                text.value(
                    "http_request_duration_seconds_count",
                    ["route": "/flows/{flow}/execute", "method": "POST", "status": "200"]
                ) == 4
            )
        }
    }

    @Test func everyLineOfTheMetricsPageParses() async throws {
        let metrics = ServerMetrics()
        try await Self.app(metrics: metrics).test(.router) { client in
            _ = try await client.executeFlow("Greeting", inputs: ["user_name": "Ann"])
            let text = try await client.get("/metrics").text
            let parsed = MetricsText(text)
            #expect(parsed.samples.count > 20)
            #expect(text.contains("# TYPE flowlang_executions_total counter"))
            #expect(text.contains("# TYPE flowlang_execution_duration_seconds histogram"))
            #expect(text.contains("# TYPE flowlang_active_executions gauge"))
        }
    }

    @Test func noMetricsRouteWithoutMetrics() async throws {
        try await TestFlowServer.single(ServerFlows.greeting).test(.router) { client in
            let response = try await client.get("/metrics")
            #expect(response.status == .notFound)
        }
    }
}
