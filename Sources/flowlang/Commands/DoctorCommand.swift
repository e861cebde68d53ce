import ArgumentParser
import FlowConnections
import FlowDevelopment
import Logging

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that this machine can build, scaffold and serve FlowLang packages.",
        discussion: """
            Prints one line per check: ✓ passed, ! warning, ✗ failed, - skipped. Checks the Swift toolchain (6.2 or \
            newer), git, a test `swift build`, the port `serve` would use, SQLite, PostgreSQL when DATABASE_URL is \
            set, disk space, the FlowLang checkout new packages point at, and every connection the flows under \
            --flows declare (connecting and running SELECT 1). Exit status: 0 when every required check passed \
            (warnings allowed), 1 otherwise.
            """
    )

    @Option(help: "The address whose port is checked.")
    var host: String = "127.0.0.1"

    @Option(help: "The port `flowlang serve` would listen on.")
    var port: Int = 8000

    @Flag(help: "Skip building a test package (the slowest check, a few seconds).")
    var skipBuild = false

    @Option(help: "The flow, or directory of flows, whose declared connections are checked.", completion: .file())
    var flows: String = "."

    func validate() throws {
        guard (1...65535).contains(port) else {
            throw ValidationError("--port must be between 1 and 65535, got \(port)")
        }
    }

    func run() async throws {
        print("Checking this machine for FlowLang…")
        var probes = DoctorProbes.live
        let logger = Logger(label: "flowlang.doctor", factory: { _ in SwiftLogNoOpLogHandler() })
        probes.checkConnection = { connection in await ConnectionPools.check(connection, logger: logger) }
        let doctor = Doctor(
            options: Doctor.Options(host: host, port: port, checkBuild: !skipBuild, flowsPath: flows), probes: probes)
        // Its `swift build` check must not outlive a Ctrl-C.
        let report = try await endingChildrenOnInterrupt { await doctor.run { check in print(check.text) } }
        print("")
        print(report.summary)
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
