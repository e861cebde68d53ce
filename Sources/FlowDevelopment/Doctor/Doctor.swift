import FlowScaffold
import Foundation

/// `flowlang doctor`: checks that this machine can build, scaffold and serve FlowLang packages.
///
/// Required checks (a failure exits non-zero): the Swift toolchain (6.2 or newer), git (SwiftPM fetches
/// dependencies with it), a test `swift build`, PostgreSQL when `DATABASE_URL` is set, enough disk space, and every
/// connection the flows under ``Options/flowsPath`` declare. The port, SQLite and the FlowLang checkout only warn.
package struct Doctor: Sendable {
    package struct Options: Sendable {
        /// The address `flowlang serve` would listen on.
        package var host: String
        package var port: Int
        /// Whether to build a tiny package to prove `swift build` works (a few seconds).
        package var checkBuild: Bool
        /// Where disk space is measured and packages would be built.
        package var directory: String
        /// The FlowLang checkout `flowlang scaffold` and `init` point packages at.
        package var flowLangCheckout: String
        /// Where the flows whose `connections:` are checked are (a flow, a directory of flows or projects); none
        /// are checked when nil.
        package var flowsPath: String?

        package init(
            host: String = "127.0.0.1",
            port: Int = 8000,
            checkBuild: Bool = true,
            directory: String = FileManager.default.currentDirectoryPath,
            flowLangCheckout: String = FlowLangDependency.buildCheckout,
            flowsPath: String? = nil
        ) {
            self.flowsPath = flowsPath
            self.host = host
            self.port = port
            self.checkBuild = checkBuild
            self.directory = directory
            self.flowLangCheckout = flowLangCheckout
        }
    }

    /// The oldest toolchain FlowLang builds with.
    package static let minimumSwift = SwiftVersion(major: 6, minor: 2, patch: 0)
    /// Below this, a warning; below a quarter of it, a failure.
    package static let comfortableFreeBytes: Int64 = 2 << 30

    /// Library files that mean SQLite is installed, and the header that means it can be built against.
    static let sqliteLibraries = [
        "/usr/lib/x86_64-linux-gnu/libsqlite3.so.0", "/usr/lib/aarch64-linux-gnu/libsqlite3.so.0",
        "/usr/lib64/libsqlite3.so.0", "/usr/lib/libsqlite3.so.0", "/usr/lib/libsqlite3.dylib",
    ]
    static let sqliteHeader = "/usr/include/sqlite3.h"

    package var options: Options
    package var probes: DoctorProbes

    package init(options: Options = Options(), probes: DoctorProbes = .live) {
        self.options = options
        self.probes = probes
    }

    /// Runs every check in order; `progress` hears each line as soon as it is known. Once the calling task is
    /// cancelled (Ctrl-C), no further check starts: the report has those done so far.
    package func run(progress: @Sendable (DoctorCheck) -> Void = { _ in }) async -> DoctorReport {
        var checks: [DoctorCheck] = []
        for check in [swiftToolchain, git, swiftBuild, port, sqlite, postgres, diskSpace, flowLangCheckout] {
            guard !Task.isCancelled else { return DoctorReport(checks: checks) }
            let result = await check()
            progress(result)
            checks.append(result)
        }
        guard !Task.isCancelled else { return DoctorReport(checks: checks) }
        for result in await connections() {
            progress(result)
            checks.append(result)
        }
        return DoctorReport(checks: checks)
    }

    func swiftToolchain() async -> DoctorCheck {
        let name = "Swift toolchain"
        guard let result = await probes.run("swift", ["--version"], nil), result.succeeded else {
            return DoctorCheck(
                name: name, status: .failed, detail: "`swift` is not on PATH",
                fix: "install Swift \(Self.minimumSwift) or newer from swift.org")
        }
        guard let version = SwiftVersion(versionOutput: result.output) else {
            return DoctorCheck(
                name: name, status: .failed,
                detail: "cannot read the version from `swift --version`: \(result.output.prefix(80))")
        }
        guard version >= Self.minimumSwift else {
            return DoctorCheck(
                name: name, status: .failed, detail: "Swift \(version) is too old",
                fix: "install Swift \(Self.minimumSwift) or newer from swift.org"
            )
        }
        return DoctorCheck(name: name, status: .passed, detail: "Swift \(version)")
    }

    func git() async -> DoctorCheck {
        guard let result = await probes.run("git", ["--version"], nil), result.succeeded else {
            return DoctorCheck(
                name: "git", status: .failed, detail: "`git` is not on PATH; SwiftPM needs it to fetch dependencies",
                fix: "install git (apt-get install git)"
            )
        }
        return DoctorCheck(
            name: "git", status: .passed, detail: result.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func swiftBuild() async -> DoctorCheck {
        let name = "swift build"
        guard options.checkBuild else {
            return DoctorCheck(name: name, status: .skipped, detail: "skipped (--skip-build)")
        }
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent(
            "flowlang-doctor-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            try BuildProbePackage.write(to: directory)
        } catch {
            return DoctorCheck(
                name: name, status: .failed,
                detail: "cannot write a test package in \(directory): \(error.localizedDescription)")
        }
        let clock = ContinuousClock()
        let started = clock.now
        guard let result = await probes.run("swift", ["build"], directory) else {
            return DoctorCheck(name: name, status: .failed, detail: "`swift` is not on PATH")
        }
        let elapsed = ElapsedTime.format(clock.now - started)
        guard result.succeeded else {
            let errors = result.output.split(separator: "\n").filter { $0.contains("error") }.prefix(3).joined(
                separator: "; ")
            return DoctorCheck(
                name: name, status: .failed,
                detail: "a one-file package does not build: \(errors.isEmpty ? "\(result.exit)" : errors)",
                fix: "check the toolchain install (swift.org/install) and that a C linker is present"
            )
        }
        return DoctorCheck(name: name, status: .passed, detail: "a one-file package builds (\(elapsed))")
    }

    func port() async -> DoctorCheck {
        let name = "port \(options.port)"
        guard await probes.portIsFree(options.host, options.port) else {
            return DoctorCheck(
                name: name, status: .warning, detail: "something listens on \(options.host):\(options.port) already",
                fix:
                    "stop it, or serve on another port: flowlang serve --port \(options.port == 8000 ? 8080 : options.port + 1)"
            )
        }
        return DoctorCheck(name: name, status: .passed, detail: "free on \(options.host)")
    }

    func sqlite() async -> DoctorCheck {
        let name = "SQLite"
        guard let library = Self.sqliteLibraries.first(where: probes.fileExists) else {
            return DoctorCheck(
                name: name, status: .warning, detail: "libsqlite3 not found; a SQLite execution store cannot be used",
                fix: "apt-get install libsqlite3-dev"
            )
        }
        guard probes.fileExists(Self.sqliteHeader) else {
            return DoctorCheck(
                name: name, status: .warning,
                detail: "\(library) is installed but not its header; packages using SQLite will not build",
                fix: "apt-get install libsqlite3-dev"
            )
        }
        return DoctorCheck(name: name, status: .passed, detail: "\(library) and \(Self.sqliteHeader)")
    }

    func postgres() async -> DoctorCheck {
        let name = "PostgreSQL"
        guard let url = probes.environment["DATABASE_URL"], !url.isEmpty else {
            return DoctorCheck(name: name, status: .skipped, detail: "DATABASE_URL is not set")
        }
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? "")
        else {
            return DoctorCheck(
                name: name, status: .failed,
                detail: "DATABASE_URL is not a postgres://user:password@host:port/database URL",
                fix: "set DATABASE_URL=postgres://user:password@127.0.0.1:5432/flow"
            )
        }
        let host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        let port = components.port ?? 5432
        guard await probes.canConnect(host, port) else {
            return DoctorCheck(
                name: name, status: .failed,
                detail: "DATABASE_URL names \(host):\(port), which does not accept connections",
                fix: "start PostgreSQL there, or correct DATABASE_URL"
            )
        }
        return DoctorCheck(name: name, status: .passed, detail: "\(host):\(port) accepts connections")
    }

    func diskSpace() async -> DoctorCheck {
        let name = "disk space"
        guard let free = probes.freeBytes(options.directory) else {
            return DoctorCheck(
                name: name, status: .warning, detail: "cannot read the free space of \(options.directory)")
        }
        let shown = String(format: "%.1f GiB", Double(free) / Double(1 << 30))
        if free < Self.comfortableFreeBytes / 4 {
            return DoctorCheck(
                name: name, status: .failed,
                detail: "\(shown) free in \(options.directory); a first build needs about 1.5 GiB",
                fix: "free some space (old .build folders are the usual culprits)"
            )
        }
        if free < Self.comfortableFreeBytes {
            return DoctorCheck(
                name: name, status: .warning,
                detail: "\(shown) free in \(options.directory); a first build needs about 1.5 GiB")
        }
        return DoctorCheck(name: name, status: .passed, detail: "\(shown) free")
    }

    func flowLangCheckout() async -> DoctorCheck {
        let name = "FlowLang checkout"
        let manifest = (options.flowLangCheckout as NSString).appendingPathComponent("Package.swift")
        guard probes.fileExists(manifest) else {
            return DoctorCheck(
                name: name, status: .warning,
                detail: "\(options.flowLangCheckout), which flowlang was built from, is gone",
                fix: "pass --flowlang PATH_OR_URL to scaffold and init"
            )
        }
        return DoctorCheck(name: name, status: .passed, detail: "new packages use \(options.flowLangCheckout)")
    }
}
