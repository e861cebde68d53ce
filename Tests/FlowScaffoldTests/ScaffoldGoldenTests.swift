import Foundation
import Testing

@testable import FlowScaffold

/// Golden-file tests: every file a scaffold of a small flow writes is compared with a checked-in copy.
///
/// Goldens live in `Tests/FlowScaffoldTests/Golden/<case>/`, one `<path>.golden` per generated file; a path
/// component starting with a dot is stored with a `dot` prefix (`.gitignore` → `dot.gitignore.golden`)
/// because SwiftPM leaves hidden files out of resources. The test reads them from the test bundle.
///
/// After an intended template change, rewrite them and review the diff:
///
///     FLOWLANG_UPDATE_GOLDENS=1 swift test --filter ScaffoldGoldenTests
///
/// which writes into the source tree (found through `#filePath`) instead of comparing.
@Suite struct ScaffoldGoldenTests {
    static let updating = ProcessInfo.processInfo.environment["FLOWLANG_UPDATE_GOLDENS"] == "1"
    static let sourceGoldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Golden")

    /// `Golden/<case>/<encoded path>.golden`.
    static func goldenName(for path: String) -> String {
        path.split(separator: "/").map { $0.hasPrefix(".") ? "dot" + $0 : String($0) }.joined(separator: "/")
            + ".golden"
    }

    /// Scaffolds `yaml` into a temporary directory and compares every file written with the goldens of
    /// `name`, in both directions: nothing missing, nothing extra, every byte equal.
    func check(case name: String, yaml: String) throws {
        let directory = try ScaffoldFixtures.temporaryDirectory()
        try ScaffoldFixtures.plan(yaml).apply(to: directory, mode: .scaffold(force: false))
        let written = ScaffoldFixtures.allFiles(in: directory)
        let goldenNames = written.map(Self.goldenName(for:))

        if Self.updating {
            let root = Self.sourceGoldens.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: root)
            for (path, golden) in zip(written, goldenNames) {
                let contents = try #require(ScaffoldFixtures.read(path, in: directory))
                try ScaffoldFixtures.write(contents, to: golden, in: root.path)
            }
            Issue.record("goldens of '\(name)' rewritten in \(root.path); unset FLOWLANG_UPDATE_GOLDENS and run again")
            return
        }

        let bundleRoot = try #require(
            Bundle.module.resourceURL?.appendingPathComponent("Golden").appendingPathComponent(name))
        let stored = ScaffoldFixtures.allFiles(in: bundleRoot.path).filter { $0.hasSuffix(".golden") }
        #expect(stored == goldenNames.sorted(), "generated files differ from the goldens' list")
        for (path, golden) in zip(written, goldenNames) {
            let actual = try #require(ScaffoldFixtures.read(path, in: directory))
            let expected = ScaffoldFixtures.read(golden, in: bundleRoot.path)
            let same = actual == expected
            #expect(
                same, "\(path) differs from Golden/\(name)/\(golden); \(Self.firstDifference(actual, expected ?? ""))")
        }
    }

    static func firstDifference(_ actual: String, _ expected: String) -> String {
        let left = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let right = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? String(left[index]) : "<end>"
            let e = index < right.count ? String(right[index]) : "<end>"
            if a != e { return "line \(index + 1): got «\(a)», expected «\(e)»" }
        }
        return "same lines"
    }

    @Test func shopOrderScaffoldMatchesTheGoldenFiles() throws {
        try check(case: "ShopOrder", yaml: ScaffoldFixtures.shopFlow)
    }

    @Test func flowWithoutTasksScaffoldMatchesTheGoldenFiles() throws {
        try check(
            case: "EchoOnly",
            yaml: """
                flow: echo-only
                steps:
                  - task: Echo
                    id: echo
                    inputs: {text: hi}
                outputs:
                  - name: text
                    value: ${echo.text}
                """
        )
    }

    @Test func goldenNamesKeepHiddenFilesVisibleToSwiftPM() {
        #expect(Self.goldenName(for: ".flowlang/manifest.json") == "dot.flowlang/manifest.json.golden")
        #expect(Self.goldenName(for: "Sources/A/B.swift") == "Sources/A/B.swift.golden")
    }
}
