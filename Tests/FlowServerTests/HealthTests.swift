import FlowCore
import FlowServer
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite struct HealthTests {
    static func application() throws -> some ApplicationProtocol {
        let flow = try FlowLoader().load(
            yaml: """
                flow: Greeting
                inputs:
                  - name: user_name
                    type: string
                    required: true
                steps:
                  - task: Echo
                    id: greet
                    inputs: {message: "Hello, ${inputs.user_name}!"}
                  - task: SendCard
                outputs:
                  - name: message
                    value: ${greet.message}
                """
        )
        var registry = TaskRegistry()
        registry.registerStub("SendCard")
        let catalog = FlowCatalog(flow: ServedFlow(definition: flow, registry: registry))
        return buildApplication(
            catalog: catalog,
            configuration: ServerConfiguration(requestLogLevel: nil),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    @Test func healthReportsImplementationProgressOfTheFlowsTasks() async throws {
        try await Self.application().test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = try FlowValue(json: String(buffer: response.body))
                #expect(body["status"] == "healthy")
                #expect(body["tasks_total"] == 2)
                #expect(body["tasks_implemented"] == 1)
                #expect(body["ready"] == false)
                #expect(body["pending_task_names"] == ["SendCard"])
            }
        }
    }
}
