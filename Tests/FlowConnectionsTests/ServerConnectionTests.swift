import FlowConnections
import FlowCore
import FlowServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A server built by `buildApplication` with pools: flows reach their database, `/health` shows each declared
/// connection and `/metrics` its pool.
@Suite("Server connections")
struct ServerConnectionTests {
    static let flowYAML = """
        flow: Counter
        connections:
          db:
            type: sqlite
            database: ${DB_FILE}
        steps:
          - task: sqlite_execute
            connection: db
            inputs: {query: "CREATE TABLE IF NOT EXISTS hits (at TEXT)"}
          - task: sqlite_execute
            connection: db
            inputs: {query: "INSERT INTO hits VALUES (datetime('now'))"}
          - task: sqlite_query
            id: hits
            connection: db
            inputs: {query: "SELECT count(*) AS n FROM hits"}
        outputs:
          - name: count
            value: ${hits.rows}
        """

    static func application(
        metrics: ServerMetrics = ServerMetrics(),
        databaseFile: String = TestConnections.temporaryDatabase()
    ) throws -> some ApplicationProtocol {
        let flow = try FlowLoader(environment: ["DB_FILE": databaseFile], requiresEnvironment: true).load(
            yaml: flowYAML)
        var registry = TaskRegistry()
        registry.registerDatabaseTasks()
        return buildApplication(
            catalog: FlowCatalog(flow: ServedFlow(definition: flow, registry: registry)),
            configuration: ServerConfiguration(requestLogLevel: nil),
            observability: ServerObservability(metrics: metrics),
            connections: ConnectionPools(logger: TestConnections.logger, metrics: metrics.factory),
            logger: TestConnections.logger
        )
    }

    @Test func poolOpensOnFirstUseAndShowsInHealthAndMetrics() async throws {
        let metrics = ServerMetrics()
        try await Self.application(metrics: metrics).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                let body = try FlowValue(json: String(buffer: response.body))
                #expect(body["connections"]?["db"]?["state"] == "not_opened")
                #expect(body["connections"]?["db"]?["type"] == "sqlite")
            }
            for expected in 1...2 {
                try await client.execute(
                    uri: "/flows/Counter/execute",
                    method: .post,
                    headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: "{\"inputs\": {}}")
                ) { response in
                    let body = try FlowValue(json: String(buffer: response.body))
                    #expect(response.status == .ok, "\(body)")
                    #expect(body["outputs"]?["count"] == [["n": .int(expected)]])
                }
            }
            try await client.execute(uri: "/health", method: .get) { response in
                let body = try FlowValue(json: String(buffer: response.body))
                #expect(body["connections"]?["db"]?["state"] == "open")
                #expect(body["connections"]?["db"]?["in_use"] == 0)
                #expect(body["connections"]?["db"]?["leases"] == 6)
            }
        }
        let text = metrics.text()
        #expect(text.contains("flowlang_db_pool_size{connection=\"db\"} 5"))
        #expect(text.contains("flowlang_db_pool_in_use{connection=\"db\"} 0"))
        #expect(text.contains("flowlang_db_pool_wait_seconds_count{connection=\"db\"} 6"))
    }

    @Test func readinessAsksEveryDeclaredDatabase() async throws {
        try await Self.application().test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                let body = try FlowValue(json: String(buffer: response.body))
                #expect(response.status == .ok, "\(body)")
                #expect(body["checks"]?["connection_db"] == ["ok": true, "detail": "database 'db' answers"])
            }
        }
    }

    @Test func databaseThatCannotBeOpenedMakesTheServerNotReadyWithoutSayingWhereItIs() async throws {
        let unopenable = "/proc/flowlang-no-such-directory/secret-name.db"
        try await Self.application(databaseFile: unopenable).test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                let text = String(buffer: response.body)
                let body = try FlowValue(json: text)
                #expect(response.status == .serviceUnavailable)
                #expect(body["status"] == "not_ready")
                #expect(body["checks"]?["connection_db"] == ["ok": false, "detail": "database 'db' does not answer"])
                #expect(!text.contains("secret-name"))
            }
        }
    }
}
