import FlowCore
import FlowServer
import FlowSQLite
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Serves the `Effects` flow on an SQLite execution store, for the crash tests that SIGKILL a server in the
/// middle of its runs and start another on the same file (`Tests/FlowLangCLITests/CrashResumeTests.swift`).
///
/// ```
/// FlowCrashTestServer --port P --database PATH --effects FILE --generation N --step-ms MS
/// ```
/// Each `Effect` call works for MS milliseconds (so a kill finds runs in flight), then appends `execution path attempt generation` to FILE (one write, so lines survive a kill
/// whole) and prints `effect …` on standard output, where the server's log also goes (`info`: each finished
/// execution's line names it).
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
            return ["total": .int(total % 1_000_003)]
        }
        var logger = Logger(label: "crash-test", factory: StreamLogHandler.standardOutput(label:))
        logger.logLevel = .info
        let store = try SQLiteExecutionStore(path: options.database)
        let flow = ServedFlow(definition: try FlowLoader().load(yaml: flowYAML), registry: registry)
        let app = buildApplication(
            catalog: FlowCatalog(flow: flow),
            // Kills come faster than steps finish here, which is not a run's fault: resume as often as it takes.
            configuration: ServerConfiguration(
                port: options.port,
                maxExecutionRecords: 10_000,
                requestLogLevel: nil,
                maxStalledResumes: 1000
            ),
            store: store,
            logger: logger,
            onServerRunning: { _ in LineWriter.standardOutput.append("listening on \(options.port)") }
        )
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm], logger: logger)
        )
        try await group.run()
    }
}

/// The command line: every option is required.
struct Options {
    var port: Int
    var database: String
    var effects: String
    var generation: Int
    var stepMilliseconds: Int

    init(_ arguments: ArraySlice<String>) throws {
        var values: [String: String] = [:]
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard flag.hasPrefix("--"), let value = rest.popFirst() else { throw UsageError("unexpected '\(flag)'") }
            values[String(flag.dropFirst(2))] = value
        }
        func value(_ name: String) throws -> String {
            guard let value = values[name] else { throw UsageError("--\(name) is required") }
            return value
        }
        guard let port = Int(try value("port")), let generation = Int(try value("generation")),
            let stepMilliseconds = Int(try value("step-ms"))
        else {
            throw UsageError("--port, --generation and --step-ms take integers")
        }
        self.stepMilliseconds = stepMilliseconds
        self.port = port
        self.database = try value("database")
        self.effects = try value("effects")
        self.generation = generation
    }
}

struct UsageError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = "usage: FlowCrashTestServer --port P --database PATH --effects FILE --generation N --step-ms MS: \(description)"
    }
}

/// Lines written to a file descriptor, each with one `write(2)` and no buffer: a line is whole in the file or
/// absent when the process is killed (the effects file is opened with `O_APPEND`), and a test reading standard
/// output through a pipe sees each line when it is written.
final class LineWriter: Sendable {
    static let standardOutput = LineWriter(descriptor: STDOUT_FILENO)

    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Appends to the file at `path`, created when missing.
    convenience init(appendingTo path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else { throw UsageError("cannot open --effects \(path)") }
        self.init(descriptor: descriptor)
    }

    func append(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
