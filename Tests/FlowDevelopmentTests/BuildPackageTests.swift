import FlowDevelopment
import Foundation
import Synchronization
import Testing

/// Builds a one-file package with no dependencies (a few seconds), broken and then fixed.
@Suite("Building a package incrementally", .timeLimit(.minutes(10)))
struct BuildPackageTests {
    @Test func brokenEditReportsTheCompilerErrorThenTheFixBuildsTheExecutable() async throws {
        let root = try makeWatchDirectory("build")
        try writeFile(
            """
            // swift-tools-version:6.0
            import PackageDescription
            let package = Package(name: "Tiny", targets: [.executableTarget(name: "Tiny")])
            """,
            to: "Package.swift",
            in: root
        )
        try writeFile("print(answer)\n", to: "Sources/Tiny/main.swift", in: root)
        let build = PackageBuild(directory: root, product: "Tiny", progressInterval: .milliseconds(200))

        let progress = ProgressRecorder()
        let broken = await build.run { elapsed in progress.record(elapsed) }
        #expect(!broken.succeeded)
        #expect(
            broken.diagnostics.contains {
                $0.hasPrefix("Sources/Tiny/main.swift:1:7: error: cannot find 'answer' in scope")
            })
        #expect(broken.diagnostics.allSatisfy { !$0.contains("|") })

        try writeFile("let answer = 42\nprint(answer)\n", to: "Sources/Tiny/main.swift", in: root)
        let fixed = await build.run()
        #expect(fixed.succeeded, "\(fixed.log)")
        #expect(fixed.diagnostics.isEmpty)
        #expect(FileManager.default.isExecutableFile(atPath: build.executablePath))
        #expect(progress.values == progress.values.sorted())
    }

    @Test func missingDirectoryIsAFailedBuildNamingIt() async {
        let build = PackageBuild(directory: "/nonexistent/flowlang-build", product: "Tiny")
        let outcome = await build.run()
        #expect(!outcome.succeeded)
        #expect(outcome.diagnostics.joined().contains("/nonexistent/flowlang-build"))
    }
}

/// Progress callbacks seen so far.
final class ProgressRecorder: Sendable {
    private let storage = Mutex<[Duration]>([])
    func record(_ value: Duration) { storage.withLock { $0.append(value) } }
    var values: [Duration] { storage.withLock { $0 } }
}
