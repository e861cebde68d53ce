import FlowCore
import FlowServer
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Tracing
import UnixSignals

/// Serves a two-task flow and, beside it, a bare Hummingbird route, so `scripts/bench-server.sh` can load
/// both in the same run and compare.
///
/// With `--observed-port P` it also serves the same flow with observability on at P, as
/// `flowlang serve --log-format json` runs it: Prometheus metrics and a JSON log line per request on standard
/// output, so the script can state what observability costs. (The process tracer is not bootstrapped, so it is
/// a NoOp tracer, which the server treats as no tracer, as `flowlang serve` does without an OTLP endpoint.)
@main
struct FlowServerBenchmark {
    static let flowYAML = """
        flow: Bench
        inputs:
          - name: user_name
            type: string
            required: true
        steps:
          - task: Echo
            id: validate
            inputs: {user_name: "${inputs.user_name}", valid: true}
          - task: Echo
            id: greet
            inputs: {greeting: "Hello, ${validate.user_name}!"}
        outputs:
          - name: message
            value: ${greet.greeting}
        """

    static func main() async throws {
        let arguments = CommandLine.arguments
        func port(_ flag: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return fallback }
            return Int(arguments[index + 1]) ?? fallback
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let flow = try FlowLoader().load(yaml: flowYAML)
        let catalog = FlowCatalog(flow: ServedFlow(definition: flow, registry: TaskRegistry()))
        let flowApp = buildApplication(
            catalog: catalog,
            configuration: ServerConfiguration(port: port("--flow-port", 8181), requestLogLevel: nil),
            logger: logger
        )
        var services: [any Service] = [flowApp]
        if arguments.contains("--observed-port") {
            services.append(observedApp(catalog: catalog, port: port("--observed-port", 8183)))
        }
        if arguments.contains("--storm-port"), let index = arguments.firstIndex(of: "--cleanup-log"),
            index + 1 < arguments.count
        {
            services.append(
                buildApplication(
                    catalog: try StormFlows.catalog(cleanupLog: arguments[index + 1]),
                    configuration: ServerConfiguration(
                        port: port("--storm-port", 8184),
                        maxExecutionRecords: 5000,
                        requestLogLevel: nil
                    ),
                    logger: logger
                )
            )
        }
        if arguments.contains("--console-port") {
            services.append(
                try ConsoleBenchmark.application(
                    arguments: arguments, catalog: catalog, port: port("--console-port", 8185), logger: logger)
            )
        }
        let router = Router()
        router.get("/bare") { _, _ in bareResponse() }
        router.post("/bare") { _, _ in bareResponse() }
        let bareApp = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port("--bare-port", 8182))),
            logger: logger
        )
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services + [bareApp],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }

    /// The flow app with metrics and JSON request logs on.
    static func observedApp(catalog: FlowCatalog, port: Int) -> some ApplicationProtocol {
        let logger = Logger(label: "bench.observed") { label in JSONLogHandler(label: label, level: .info) }
        return buildApplication(
            catalog: catalog,
            configuration: ServerConfiguration(port: port, requestLogLevel: .info),
            observability: ServerObservability(metrics: ServerMetrics(), tracer: InstrumentationSystem.tracer),
            logger: logger
        )
    }

    static func bareResponse() -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(
                byteBuffer: ByteBuffer(string: #"{"success":true,"outputs":{"message":"Hello, Alice!"}}"#))
        )
    }
}
