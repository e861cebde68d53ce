import FlowDevelopment
import Testing

/// `flowlang doctor` with every probe replaced, so each check's verdict is deterministic.
@Suite("Doctor checks")
struct DoctorTests {
    /// A healthy machine; each test spoils one thing.
    static func probes(
        swiftVersion: String? = "Swift version 6.3.1 (swift-6.3.1-RELEASE)",
        gitInstalled: Bool = true,
        buildSucceeds: Bool = true,
        portFree: Bool = true,
        files: Set<String> = [
            "/usr/lib/x86_64-linux-gnu/libsqlite3.so.0", "/usr/include/sqlite3.h", "/src/FlowLang/Package.swift",
        ],
        reachable: Set<String> = [],
        freeBytes: Int64? = 50 << 30,
        environment: [String: String] = [:]
    ) -> DoctorProbes {
        DoctorProbes(
            run: { name, arguments, _ in
                switch (name, arguments.first) {
                case ("swift", "--version"): swiftVersion.map { CommandResult(exit: .exited(0), standardOutput: $0) }
                case ("swift", "build"):
                    buildSucceeds
                        ? CommandResult(exit: .exited(0), standardOutput: "Build complete!")
                        : CommandResult(exit: .exited(1), standardOutput: "error: link command failed")
                case ("git", _):
                    gitInstalled ? CommandResult(exit: .exited(0), standardOutput: "git version 2.39.5\n") : nil
                default: nil
                }
            },
            portIsFree: { _, _ in portFree },
            canConnect: { host, port in reachable.contains("\(host):\(port)") },
            fileExists: { files.contains($0) },
            freeBytes: { _ in freeBytes },
            environment: environment
        )
    }

    static func report(_ probes: DoctorProbes, checkBuild: Bool = true) async -> DoctorReport {
        let options = Doctor.Options(checkBuild: checkBuild, directory: "/work", flowLangCheckout: "/src/FlowLang")
        return await Doctor(options: options, probes: probes).run()
    }

    static func check(_ name: String, in report: DoctorReport) throws -> DoctorCheck {
        try #require(report.checks.first { $0.name == name })
    }

    @Test func healthyMachinePassesWithExitZero() async throws {
        let report = await Self.report(Self.probes())
        #expect(report.passed)
        #expect(report.exitCode == 0)
        #expect(try Self.check("Swift toolchain", in: report).detail == "Swift 6.3.1")
        #expect(try Self.check("PostgreSQL", in: report).status == .skipped)
        #expect(report.text.contains("✓ git: git version 2.39.5"))
    }

    @Test func aCancelledDoctorStartsNoFurtherCheck() async throws {
        var probes = Self.probes()
        let healthy = probes.run
        // Ctrl-C arrives while git is being looked at.
        probes.run = { name, arguments, directory in
            if name == "git" { withUnsafeCurrentTask { $0?.cancel() } }
            return await healthy(name, arguments, directory)
        }
        let report = await Self.report(probes)
        #expect(report.checks.map(\.name) == ["Swift toolchain", "git"])
    }

    @Test func oldToolchainFailsTheRun() async throws {
        let report = await Self.report(Self.probes(swiftVersion: "Swift version 5.10 (swift-5.10-RELEASE)"))
        #expect(try Self.check("Swift toolchain", in: report).status == .failed)
        #expect(report.exitCode == 1)
        #expect(report.text.contains("✗ Swift toolchain: Swift 5.10.0 is too old"))
    }

    @Test func missingToolchainFails() async throws {
        let report = await Self.report(Self.probes(swiftVersion: nil))
        #expect(try Self.check("Swift toolchain", in: report).status == .failed)
    }

    @Test func missingGitFails() async throws {
        let report = await Self.report(Self.probes(gitInstalled: false))
        #expect(try Self.check("git", in: report).status == .failed)
    }

    @Test func failingTestBuildFailsWithItsError() async throws {
        let report = await Self.report(Self.probes(buildSucceeds: false))
        let check = try Self.check("swift build", in: report)
        #expect(check.status == .failed)
        #expect(check.detail.contains("link command failed"))
    }

    @Test func buildCheckCanBeSkipped() async throws {
        let report = await Self.report(Self.probes(buildSucceeds: false), checkBuild: false)
        #expect(try Self.check("swift build", in: report).status == .skipped)
        #expect(report.passed)
    }

    @Test func busyPortOnlyWarnsAndSuggestsAnother() async throws {
        let report = await Self.report(Self.probes(portFree: false))
        let check = try Self.check("port 8000", in: report)
        #expect(check.status == .warning)
        #expect(check.fix?.contains("--port 8080") == true)
        #expect(report.passed)
        #expect(report.text.contains("! port 8000"))
    }

    @Test func sqliteWithoutItsHeaderWarns() async throws {
        let report = await Self.report(Self.probes(files: ["/usr/lib/x86_64-linux-gnu/libsqlite3.so.0"]))
        let check = try Self.check("SQLite", in: report)
        #expect(check.status == .warning)
        #expect(check.fix == "apt-get install libsqlite3-dev")
    }

    @Test func reachablePostgresPasses() async throws {
        let report = await Self.report(
            Self.probes(
                reachable: ["db.local:55432"], environment: ["DATABASE_URL": "postgres://flow:flow@db.local:55432/flow"]
            )
        )
        #expect(try Self.check("PostgreSQL", in: report).status == .passed)
    }

    @Test func unreachablePostgresFailsNamingTheAddress() async throws {
        let report = await Self.report(Self.probes(environment: ["DATABASE_URL": "postgresql://flow@127.0.0.1/flow"]))
        let check = try Self.check("PostgreSQL", in: report)
        #expect(check.status == .failed)
        #expect(check.detail.contains("127.0.0.1:5432"))
    }

    @Test func malformedDatabaseURLFails() async throws {
        let report = await Self.report(Self.probes(environment: ["DATABASE_URL": "mysql://x"]))
        #expect(try Self.check("PostgreSQL", in: report).status == .failed)
    }

    @Test func lowDiskSpaceWarnsThenFails() async throws {
        let low = await Self.report(Self.probes(freeBytes: 1 << 30))
        #expect(try Self.check("disk space", in: low).status == .warning)
        let tiny = await Self.report(Self.probes(freeBytes: 100 << 20))
        #expect(try Self.check("disk space", in: tiny).status == .failed)
    }

    @Test func missingCheckoutWarnsToPassFlowlang() async throws {
        let report = await Self.report(Self.probes(files: []))
        let check = try Self.check("FlowLang checkout", in: report)
        #expect(check.status == .warning)
        #expect(check.fix?.contains("--flowlang") == true)
    }

    @Test func swiftVersionIsReadFromBothToolchainStyles() {
        #expect(
            SwiftVersion(versionOutput: "Swift version 6.3.1 (swift-6.3.1-RELEASE)")
                == SwiftVersion(major: 6, minor: 3, patch: 1))
        #expect(
            SwiftVersion(versionOutput: "Apple Swift version 6.2 (swiftlang-6.2.0.19.9 clang-1700.3.19.1)")
                == SwiftVersion(major: 6, minor: 2)
        )
        #expect(SwiftVersion(versionOutput: "no version here") == nil)
    }
}
