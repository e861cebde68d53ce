import FlowDevelopment
import Foundation
import Testing

@Suite("Watch file patterns")
struct WatchFilePatternTests {
    @Test func doubleStarMatchesSwiftFilesAtAnyDepthButNotInHiddenFolders() throws {
        let root = try makeWatchDirectory("pattern")
        try writeFile("", to: "Sources/A.swift", in: root)
        try writeFile("", to: "Sources/Tasks/Deep/B.swift", in: root)
        try writeFile("", to: "Sources/Tasks/notes.md", in: root)
        try writeFile("", to: "Sources/.hidden/C.swift", in: root)
        try writeFile("", to: ".build/debug/D.swift", in: root)

        let files = FilePattern("Sources/**/*.swift").files(under: root)

        #expect(files == [root + "/Sources/A.swift", root + "/Sources/Tasks/Deep/B.swift"])
    }

    @Test func plainPatternNamesOneFileAndOnlyWhenItExists() throws {
        let root = try makeWatchDirectory("pattern")
        #expect(FilePattern("flow.yaml").files(under: root).isEmpty)
        try writeFile("flow: x", to: "flow.yaml", in: root)
        #expect(FilePattern("flow.yaml").files(under: root) == [root + "/flow.yaml"])
    }

    @Test func absolutePatternIgnoresTheRoot() throws {
        let root = try makeWatchDirectory("pattern")
        let other = try makeWatchDirectory("pattern-other")
        try writeFile("{}", to: "inputs.json", in: other)
        #expect(FilePattern(other + "/inputs.json").files(under: root) == [other + "/inputs.json"])
    }

    @Test func questionMarkAndStarMatchWithinOneComponent() throws {
        let root = try makeWatchDirectory("pattern")
        try writeFile("", to: "a1.yaml", in: root)
        try writeFile("", to: "ab.yaml", in: root)
        try writeFile("", to: "sub/a2.yaml", in: root)
        #expect(FilePattern("a?.yaml").files(under: root) == [root + "/a1.yaml", root + "/ab.yaml"])
        #expect(FilePattern("*.yaml").files(under: root).count == 2)
    }
}
