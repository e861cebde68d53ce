import FlowCore
import Foundation
import Testing

/// The SVG of a few flows compared byte for byte with checked-in copies in
/// `Tests/FlowCoreTests/Fixtures/diagrams/golden/`.
///
/// After an intended change to the drawing, rewrite them and review the diff (and the images):
///
///     FLOWLANG_UPDATE_GOLDENS=1 swift test --skip-build --filter SVGGoldenTests
///
/// which writes into the source tree (found through `#filePath`) instead of comparing.
@Suite struct SVGGoldenTests {
    static let updating = ProcessInfo.processInfo.environment["FLOWLANG_UPDATE_GOLDENS"] == "1"
    static let goldens = SVGLayoutTests.fixturesDirectory.appendingPathComponent("golden")

    @Test(
        arguments: [
            ("hello_world", "Examples/flows/hello_world/flow.yaml"),
            ("order_fulfillment", "Examples/OrderFulfillment/flow.yaml"),
            ("every_kind", "Tests/FlowCoreTests/Fixtures/diagrams/every_kind.yaml"),
        ]
    )
    func svgMatchesTheSavedGolden(name: String, file: String) throws {
        let svg = SVGDiagram.render(try SVGLayoutTests.load(file))
        let golden = Self.goldens.appendingPathComponent(name + ".svg")
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.goldens, withIntermediateDirectories: true)
            try svg.write(to: golden, atomically: true, encoding: .utf8)
            Issue.record("golden \(golden.path) rewritten; unset FLOWLANG_UPDATE_GOLDENS and run again")
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        let actualLines = svg.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let difference = zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }
        let line = (difference?.offset ?? min(actualLines.count, expectedLines.count)) + 1
        #expect(
            svg == expected,
            "\(name).svg differs at line \(line): \(difference.map { String($0.element.0) } ?? "<length>")")
    }
}
