import FlowCore
import FlowServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Several versions of a flow served side by side: `/v1/flows/…`, `/v2/flows/…`, and `/flows/…` for the latest.
struct VersionedFlowTests {
    /// Version `version` of the Order flow: it answers with its own version.
    static func order(_ version: String) -> String {
        """
        flow: Order
        inputs:
          - name: item
            type: string
            required: true
        steps:
          - task: Echo
            id: say
            inputs: {message: "\(version) ordered ${inputs.item}"}
        outputs:
          - name: message
            value: ${say.message}
        """
    }

    static let other = """
        flow: Other
        steps:
          - task: Echo
            id: say
            inputs: {message: other}
        outputs:
          - name: message
            value: ${say.message}
        """

    func application() throws -> some ApplicationProtocol {
        // Out of order on purpose: the highest version is the latest whatever the discovery order.
        TestFlowServer.multi([
            ServedFlow(definition: try TestFlowServer.flow(Self.order("v2")), registry: TaskRegistry(), version: "v2"),
            ServedFlow(definition: try TestFlowServer.flow(Self.order("v1")), registry: TaskRegistry(), version: "v1"),
            try TestFlowServer.served(Self.other),
        ])
    }

    func execute(_ client: some TestClientProtocol, _ path: String) async throws -> FlowValue {
        try await client.post(path, body: #"{"inputs": {"item": "tea"}}"#).json()
    }

    @Test func eachVersionRunsItsOwnDefinitionAndUnversionedRunsTheLatest() async throws {
        try await application().test(.router) { client in
            let v1 = try await execute(client, "/v1/flows/Order/execute")
            let v2 = try await execute(client, "/v2/flows/Order/execute")
            let latest = try await execute(client, "/flows/Order/execute")
            #expect(v1[path: "outputs.message"] == "v1 ordered tea")
            #expect(v2[path: "outputs.message"] == "v2 ordered tea")
            #expect(latest[path: "outputs.message"] == "v2 ordered tea")
        }
    }

    @Test func flowListShowsTheLatestWithEveryVersion() async throws {
        try await application().test(.router) { client in
            let flows = try await client.get("/flows").json()
            #expect(flows[path: "0.name"] == "Order")
            #expect(flows[path: "0.version"] == "v2")
            #expect(flows[path: "0.versions"] == ["v1", "v2"])
            #expect(flows[path: "1.name"] == "Other")
            #expect(flows[path: "1"]?.keys.contains("version") == false)

            let v1 = try await client.get("/v1/flows").json()
            #expect(v1.arrayValue?.count == 1)
            #expect(v1[path: "0.version"] == "v1")
            #expect(try await client.get("/v1/flows/Order").json()["version"] == "v1")
            #expect(try await client.get("/v1/flows/Order/tasks").status == .ok)
        }
    }

    @Test func executionsOfEachVersionAreKeptApart() async throws {
        try await application().test(.router) { client in
            let first = try await execute(client, "/v1/flows/Order/execute")
            _ = try await execute(client, "/v2/flows/Order/execute")
            _ = try await execute(client, "/v2/flows/Order/execute")
            let id = try #require(first["execution_id"]?.stringValue)

            #expect(try await client.get("/v1/flows/Order/executions").json()["count"] == 1)
            #expect(try await client.get("/v2/flows/Order/executions").json()["count"] == 2)
            #expect(try await client.get("/flows/Order/executions").json()["count"] == 2)

            let record = try await client.get("/v1/flows/Order/executions/\(id)").json()
            #expect(record["flow_version"] == "v1")
            let elsewhere = try await client.get("/v2/flows/Order/executions/\(id)")
            #expect(elsewhere.status == .notFound)
            #expect(try elsewhere.json()["error"] == .string("Execution not found: \(id); it ran version v1 of Order"))
        }
    }

    @Test func asynchronousExecutionPointsAtItsVersionedStatusURL() async throws {
        try await application().test(.router) { client in
            let response = try await client.post(
                "/flows/Order/execute?wait=false", body: #"{"inputs": {"item": "tea"}}"#)
            #expect(response.status == .accepted)
            let id = try #require(response.executionId)
            #expect(response.headers[.location] == "/v2/flows/Order/executions/\(id)")
            let finished = try await client.poll("/v2/flows/Order/executions/\(id)") { $0["status"] == "completed" }
            #expect(finished[path: "result.outputs.message"] == "v2 ordered tea")
        }
    }

    @Test func unknownVersionsAndUnversionedFlowsAnswer404WithTheReason() async throws {
        try await application().test(.router) { client in
            let missing = try await client.get("/v3/flows/Order")
            #expect(missing.status == .notFound)
            #expect(try missing.json()["error"] == "Flow Order has no version v3. Available versions: v1, v2")

            let unversioned = try await client.get("/v1/flows/Other")
            #expect(unversioned.status == .notFound)
            #expect(try unversioned.json()["error"] == "Flow Other is not versioned; use /flows/Other")

            #expect(try await client.get("/v9/flows").status == .notFound)
            let notAVersion = try await client.get("/latest/flows/Order")
            #expect(notAVersion.status == .notFound)
            #expect(try notAVersion.json()["detail"] == "Not Found")
        }
    }

    @Test func openAPIDocumentListsTheUnversionedPathsOnly() async throws {
        try await application().test(.router) { client in
            let document = try await client.get("/openapi.json").json()
            let paths = document["paths"]?.keys ?? []
            #expect(paths.contains("/flows/Order/execute"))
            #expect(!paths.contains { $0.contains("{version}") })
        }
    }

    @Test func unversionedServersKeepTheirResponses() async throws {
        try await TestFlowServer.multi(yamls: [Self.other]).test(.router) { client in
            #expect(try await client.get("/v1/flows/Other").json() == ["detail": "Not Found"])
            let info = try await client.get("/flows/Other").json()
            #expect(info.keys == ["name", "description", "inputs", "outputs", "tasks", "implementation_complete"])
            let run = try await client.executeFlow("Other")
            let id = try #require(run.executionId)
            #expect(try await client.get("/flows/Other/executions/\(id)").json().keys.contains("flow_version") == false)
        }
    }
}
