import FlowCore
import FlowPostgres
import FlowServer
import FlowServerCommand
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Serves the `Effects` flow on an SQLite or PostgreSQL execution store, for the crash tests that SIGKILL a server
/// in the middle of its runs and start another on the same store (`Tests/FlowLangCLITests/CrashResumeTests.swift`),
/// and run two instances on one PostgreSQL (`TwoInstanceTests.swift`).
///
/// ```
/// FlowCrashTestServer --port P --database PATH|URL --effects FILE --generation N --step-ms MS [--lease-ms MS] [--sweep-ms MS]
/// ```
/// `--database` is an SQLite file or a `postgres://` URL, opened as `flowlang serve` opens `DATABASE_URL`;
/// `--lease-ms` and `--sweep-ms` shorten PostgreSQL's leases and its look for runs whose lease ran out.
/// Each `Effect` call works for MS milliseconds (so a kill finds runs in flight), then appends
/// `execution path attempt generation` to FILE (one write, so lines survive a kill whole) and prints `effect …`
/// on standard output, where the server's log also goes (`info`: each finished execution's line names it). Its
/// output carries `generation` too, so the step journal says which server ran each step.
@main
struct CrashTestServer {
    static let flowYAML: String = {
        var yaml = """
            flow: Effects
            inputs:
              - name: seed
                type: integer
            steps:
              - task: Effect
                id: s0
                inputs: {add: 0, total: "${inputs.seed}"}

            """
        for index in 1..<20 {
            yaml += """
                  - task: Effect
                    id: s\(index)
                    inputs: {add: \(index), total: "${s\(index - 1).total}"}

                """
        }
        yaml += """
            outputs:
              - name: total
                value: ${s19.total}
            """
        return yaml
    }()

    static func main() async throws {
        let options = try Options(CommandLine.arguments.dropFirst())
        let effects = try LineWriter(appendingTo: options.effects)
        var registry = TaskRegistry()
        let generation = options.generation
        let stepTime = Duration.milliseconds(options.stepMilliseconds)
        registry.register("Effect") { inputs, context in
            try await context.clock.sleep(for: stepTime)
            let line = "\(context.executionId) \(context.stepPath) \(context.attempt) \(generation)"
            effects.append(line)
            LineWriter.standardOutput.append("effect \(line)")
            let total = (inputs["total"]?.intValue ?? 0) * 3 + (inputs["add"]?.intValue ?? 0)
            return ["total": .int(total % 1_000_003), "generation": .int(generation)]
        }
        var logger = Logger(label: "crash-test", factory: StreamLogHandler.standardOutput(label:))
        logger.logLevel = .info
        // Kills come faster than steps finish here, which is not a run's fault: resume as often as it takes.
        let configuration = ServerConfiguration(
            port: options.port,
            maxExecutionRecords: 10_000,
            requestLogLevel: nil,
            maxStalledResumes: 1000
        )
        let (store, storeServices) = try await ServerLaunch.executionStore(
            url: options.databaseURL,
            server: configuration,
            leaseDuration: options.lease ?? PostgresExecutionStore.defaultLeaseDuration,
            sweepInterval: options.sweepInterval,
            logger: logger
        )
        let flow = ServedFlow(definition: try FlowLoader().load(yaml: flowYAML), registry: registry)
        let app = buildApplication(
            catalog: FlowCatalog(flow: flow),
            configuration: configuration,
            store: store,
            logger: logger,
            onServerRunning: { _ in LineWriter.standardOutput.append("listening on \(options.port)") }
        )
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: storeServices + [app],
                gracefulShutdownSignals: [.sigterm],
                logger: logger
            )
        )
        try await group.run()
    }
}
