import FlowClient
import FlowCore
import FlowServer
import FlowTesting
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A FlowLang server running in-process on a port the kernel picks, with the flows the client tests call:
///
/// - `Greet` greets `user_name`; its `greet` step fails with a `GreetingRefused` error when the name is `fail`.
/// - `Block` has a `block` step that waits at a `TaskGate` until the test opens it or the run is cancelled.
/// - `Pending` calls a task registered as a stub, so it is never ready.
enum LiveFlowServer {
    static let logger = Logger(label: "flowlang.client-tests", factory: { _ in SwiftLogNoOpLogHandler() })

    static let greet = """
        flow: Greet
        description: Greets a user
        inputs:
          - name: user_name
            type: string
            required: true
        steps:
          - task: Greet
            id: greet
            inputs:
              name: ${inputs.user_name}
        outputs:
          - name: message
            value: ${greet.greeting}
        """

    static let block = """
        flow: Block
        steps:
          - task: Echo
            id: before
            inputs: {message: started}
          - task: Block
            id: block
          - task: Echo
            id: after
            inputs: {message: done}
        outputs:
          - name: message
            value: ${after.message}
        """

    static let pending = """
        flow: Pending
        steps:
          - task: Later
            id: later
        """

    /// The settings tests start from: port 0, no request log lines.
    static func configuration() -> ServerConfiguration {
        ServerConfiguration(host: "127.0.0.1", port: 0, requestLogLevel: nil)
    }

    /// Runs `test` against the three flows served on a live port; `gate` holds every `Block` run.
    @discardableResult
    static func run<Value: Sendable>(
        configuration: ServerConfiguration = configuration(),
        gate: TaskGate = TaskGate(),
        _ test: @escaping @Sendable (_ port: Int) async throws -> Value
    ) async throws -> Value {
        var registry = TaskRegistry()
        registry.register("Greet") { inputs, _ in
            let name = inputs["name"]?.stringValue ?? ""
            if name == "fail" { throw TaskError("refusing to greet \(name)", type: "GreetingRefused") }
            return ["greeting": .string("Hello, \(name)!")]
        }
        registry.register("Block") { _, context in
            try await gate.pass(["execution_id": .string(context.executionId.rawValue)])
            return [:]
        }
        var pendingRegistry = TaskRegistry()
        pendingRegistry.registerStub("Later")
        let flows = [
            ServedFlow(definition: try FlowLoader().load(yaml: greet), registry: registry),
            ServedFlow(definition: try FlowLoader().load(yaml: block), registry: registry),
            ServedFlow(definition: try FlowLoader().load(yaml: pending), registry: pendingRegistry),
        ]
        let app = buildApplication(catalog: FlowCatalog(flows: flows), configuration: configuration, logger: logger)
        return try await app.test(.live) { client in
            try await test(try #require(client.port))
        }
    }
}

/// Runs `body` with a client of `http://127.0.0.1:port` and shuts the client down afterwards.
@discardableResult
func withClient<Value: Sendable>(
    port: Int,
    apiKey: String? = nil,
    configuration: FlowClient.Configuration = FlowClient.Configuration(timeout: nil),
    clock: any Clock<Duration> = ImmediateClock(),
    _ body: (FlowClient) async throws -> Value
) async throws -> Value {
    try await FlowClient.withClient(
        baseURL: "http://127.0.0.1:\(port)",
        apiKey: apiKey,
        configuration: configuration,
        clock: clock,
        body
    )
}

extension TaskGate {
    /// Waits until a run of the `Block` flow has reached its `block` step, and returns its execution id.
    func nextArrival() async throws -> String {
        for await arrival in started { return arrival["execution_id"]?.stringValue ?? "" }
        throw CancellationError()
    }
}
