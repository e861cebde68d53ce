import FlowCore
import FlowServer
import Hummingbird
import HummingbirdTesting
import OrderedCollections
import Testing

/// `GET /` and `GET /health` in single- and multi-flow mode: the original's shapes (spec §4.4, §4.5, reference
/// README §3) plus the deployment walkthrough's extras (`message`, `flows`, `flow_status`).
@Suite(.timeLimit(.minutes(1)))
struct RootAndHealthTests {
    // Bodies recorded from the original (hello_world_impl, multi_hello_world), abridged to one flow where
    // they list flows; only their shape is compared.
    static let recordedSingleRoot = """
        {"service":"FlowLang API Server","version":"1.0.0","flow":{"name":"HelloWorld","description":"A simple greeting workflow demonstrating basic FlowLang features","ready":true,"progress":"3/3","percentage":"100.0%"},"status":"ready","documentation":{"openapi":"/docs","redoc":"/redoc","openapi_json":"/openapi.json"},"endpoints":{"info":{"root":"/","health":"/health"},"flows":{"list":"/flows","info":"/flows/HelloWorld","tasks":"/flows/HelloWorld/tasks","visualize":"/flows/HelloWorld/visualize"},"execution":{"execute":"/flows/HelloWorld/execute","stream":"/flows/HelloWorld/execute/stream","list_executions":"/flows/HelloWorld/executions","execution_status":"/flows/HelloWorld/executions/{execution_id}","cancel":"/flows/HelloWorld/executions/{execution_id}/cancel"}}}
        """
    static let recordedSingleHealth = """
        {"status":"healthy","flow":"HelloWorld","tasks_implemented":0,"tasks_total":3,"tasks_pending":3,"implementation_complete":false,"ready":false,"pending_task_names":["GenerateErrorMessage","GenerateGreeting","ValidateUser"]}
        """
    static let recordedMultiRoot = """
        {"service":"FlowLang Multi-Flow API Server","version":"1.0.0","status":"incomplete","flows":{"count":9,"names":["ExitExample","HelloWorld"],"status":{"ExitExample":{"ready":false,"progress":"0/5","percentage":"0.0%"}}},"documentation":{"openapi":"/docs","redoc":"/redoc","openapi_json":"/openapi.json"},"endpoints":{"info":{"root":"/","health":"/health"},"flows":{"list":"/flows","info":"/flows/{flow_name}","tasks":"/flows/{flow_name}/tasks","visualize":"/flows/{flow_name}/visualize"},"projects":{"list":"/projects","info":"/projects/{project_name}","flows":"/projects/{project_name}/flows"},"execution":{"execute":"/flows/{flow_name}/execute","stream":"/flows/{flow_name}/execute/stream","list_executions":"/flows/{flow_name}/executions","execution_status":"/flows/{flow_name}/executions/{execution_id}","cancel":"/flows/{flow_name}/executions/{execution_id}/cancel"}}}
        """
    static let recordedMultiHealth = """
        {"status":"healthy","server_type":"multi-flow","flows_count":9,"all_flows_ready":false,"aggregate_tasks":{"total":79,"implemented":10,"pending":69,"progress":"10/79"},"flows":[{"name":"ExitExample","ready":false,"tasks_implemented":0,"tasks_total":5,"tasks_pending":5,"progress":"0/5","pending_task_names":["FetchUser","LogPremiumAccess","LogSuccess","ProcessStandardUser","ValidatePermissions"]}]}
        """

    /// Two flows for multi mode: `Ready` (built-ins only) and `Pending` (one of two tasks a stub).
    static let readyYAML = """
        flow: Ready
        description: Built-in tasks only
        steps:
          - task: Echo
            id: say
            inputs: {text: hi}
        outputs:
          - name: text
            value: ${say.text}
        """
    static let pendingYAML = """
        flow: Pending
        steps:
          - task: Echo
            id: first
          - task: Zeta
            id: zeta
          - task: Alpha
            id: alpha
        """

    static func multiApp() throws -> some ApplicationProtocol {
        var registry = TaskRegistry()
        registry.registerStub("Zeta")
        registry.registerStub("Alpha")
        return try TestFlowServer.multi(yamls: [readyYAML, pendingYAML], registry: registry)
    }

    // MARK: Single flow

    @Test func rootOfAReadySingleFlowServerHasEveryRecordedKeyWithTheSameTypes() async throws {
        let app = try TestFlowServer.single(HelloWorldFlow.yaml, registry: HelloWorldFlow.implemented)
        try await app.test(.router) { client in
            let response = try await client.get("/")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let body = try response.json()
            let recorded = try FlowValue(json: Self.recordedSingleRoot)
            #expect(JSONShape.differences(expected: recorded, actual: body) == [])
            #expect(body["service"] == "FlowLang API Server")
            #expect(body["status"] == "ready")
            #expect(
                body["flow"]
                    == [
                        "name": "HelloWorld",
                        "description": "A simple greeting workflow demonstrating basic FlowLang features",
                        "ready": true, "progress": "3/3", "percentage": "100.0%",
                    ]
            )
            #expect(body[path: "documentation"] == recorded["documentation"])
            #expect(body[path: "endpoints.info"] == recorded[path: "endpoints.info"])
            #expect(body[path: "endpoints.flows"] == recorded[path: "endpoints.flows"])
            for key in recorded[path: "endpoints.execution"]?.keys ?? [] {
                #expect(body[path: "endpoints.execution.\(key)"] == recorded[path: "endpoints.execution.\(key)"])
            }
        }
    }

    @Test func rootOfASingleFlowServerCarriesTheWalkthroughExtras() async throws {
        let app = try TestFlowServer.single(HelloWorldFlow.yaml, registry: HelloWorldFlow.implemented)
        try await app.test(.router) { client in
            let body = try await client.get("/").json()
            #expect(body["message"] == "FlowLang API Server")
            #expect(body["flows"] == ["HelloWorld"])
            #expect(
                body[path: "flow_status.HelloWorld"]
                    == ["tasks_total": 3, "tasks_implemented": 3, "implementation_progress": "100%", "ready": true]
            )
            #expect(body[path: "endpoints.execute"] == "/flows/HelloWorld/execute")
            #expect(body[path: "endpoints.stream"] == "/flows/HelloWorld/execute/stream")
            #expect(body[path: "endpoints.health"] == "/health")
            #expect(body[path: "endpoints.docs"] == "/docs")
        }
    }

    @Test func rootOfAFlowWithStubsIsIncompleteWithItsProgress() async throws {
        let app = try TestFlowServer.single(HelloWorldFlow.yaml, registry: HelloWorldFlow.stubs)
        try await app.test(.router) { client in
            let response = try await client.get("/")
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(body["status"] == "incomplete")
            #expect(body[path: "flow.ready"] == false)
            #expect(body[path: "flow.progress"] == "0/3")
            #expect(body[path: "flow.percentage"] == "0.0%")
            #expect(body[path: "flow_status.HelloWorld.implementation_progress"] == "0%")
            #expect(body[path: "flow_status.HelloWorld.ready"] == false)
        }
    }

    @Test func healthOfANotReadySingleFlowIsStill200WithTheRecordedShape() async throws {
        let app = try TestFlowServer.single(HelloWorldFlow.yaml, registry: HelloWorldFlow.stubs)
        try await app.test(.router) { client in
            let response = try await client.get("/health")
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(JSONShape.differences(expected: try FlowValue(json: Self.recordedSingleHealth), actual: body) == [])
            #expect(body["status"] == "healthy")
            #expect(body["flow"] == "HelloWorld")
            #expect(body["tasks_implemented"] == 0)
            #expect(body["tasks_total"] == 3)
            #expect(body["tasks_pending"] == 3)
            #expect(body["implementation_complete"] == false)
            #expect(body["ready"] == false)
            #expect(body["pending_task_names"] == ["GenerateErrorMessage", "GenerateGreeting", "ValidateUser"])
        }
    }

    @Test func healthOfAReadySingleFlowListsNoPendingTasksAndTheWalkthroughFlowsMap() async throws {
        let app = try TestFlowServer.single(HelloWorldFlow.yaml, registry: HelloWorldFlow.implemented)
        try await app.test(.router) { client in
            let body = try await client.get("/health").json()
            #expect(body["ready"] == true)
            #expect(body["implementation_complete"] == true)
            #expect(body["tasks_pending"] == 0)
            #expect(body["pending_task_names"] == [])
            #expect(body[path: "flows.HelloWorld.status"] == "ready")
            #expect(
                body[path: "flows.HelloWorld.implementation_status"]
                    == ["progress": "3/3", "implementation_complete": true, "tasks_implemented": 3, "tasks_pending": 0]
            )
        }
    }

    // MARK: Multi flow

    @Test func rootOfAMultiFlowServerHasEveryRecordedKeyWithTheSameTypes() async throws {
        try await Self.multiApp().test(.router) { client in
            let response = try await client.get("/")
            #expect(response.status == .ok)
            let body = try response.json()
            let differences = JSONShape.differences(
                expected: try FlowValue(json: Self.recordedMultiRoot),
                actual: body,
                maps: ["$.flows.status"]
            )
            #expect(differences == [])
            #expect(body["service"] == "FlowLang Multi-Flow API Server")
            #expect(body["status"] == "incomplete")
            #expect(body[path: "flows.count"] == 2)
            #expect(body[path: "flows.names"] == ["Ready", "Pending"])
            #expect(body[path: "flows.status.Ready"] == ["ready": true, "progress": "1/1", "percentage": "100.0%"])
            #expect(body[path: "flows.status.Pending"] == ["ready": false, "progress": "1/3", "percentage": "33.3%"])
            #expect(body[path: "endpoints.flows.info"] == "/flows/{flow_name}")
            #expect(body[path: "endpoints.projects.list"] == "/projects")
        }
    }

    @Test func rootOfAMultiFlowServerCarriesTheWalkthroughExtras() async throws {
        try await Self.multiApp().test(.router) { client in
            let body = try await client.get("/").json()
            #expect(body["message"] == "FlowLang Multi-Flow API Server")
            // `flows` keeps the original multi-flow object; the per-flow walkthrough map is `flow_status`.
            #expect(
                body[path: "flow_status.Ready"]
                    == ["tasks_total": 1, "tasks_implemented": 1, "implementation_progress": "100%", "ready": true]
            )
            #expect(body[path: "flow_status.Pending.ready"] == false)
        }
    }

    @Test func healthOfAMultiFlowServerAggregatesEveryFlow() async throws {
        try await Self.multiApp().test(.router) { client in
            let response = try await client.get("/health")
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(JSONShape.differences(expected: try FlowValue(json: Self.recordedMultiHealth), actual: body) == [])
            #expect(body["status"] == "healthy")
            #expect(body["server_type"] == "multi-flow")
            #expect(body["flows_count"] == 2)
            #expect(body["all_flows_ready"] == false)
            #expect(body["aggregate_tasks"] == ["total": 4, "implemented": 2, "pending": 2, "progress": "2/4"])
            #expect(
                body[path: "flows.1"]
                    == [
                        "name": "Pending", "ready": false, "tasks_implemented": 1, "tasks_total": 3, "tasks_pending": 2,
                        "progress": "1/3", "pending_task_names": ["Alpha", "Zeta"],
                    ]
            )
            #expect(body[path: "flows.0.ready"] == true)
        }
    }

    @Test func singleFlowServerHasNoProjectsRoute() async throws {
        let app = try TestFlowServer.single(HelloWorldFlow.yaml, registry: HelloWorldFlow.implemented)
        try await app.test(.router) { client in
            let response = try await client.get("/projects")
            #expect(response.status == .notFound)
            #expect(try response.json() == ["detail": "Not Found"])
        }
    }
}
