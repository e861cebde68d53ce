import FlowDevelopment
import Testing

@Suite("Compact build diagnostics")
struct BuildDiagnosticsTests {
    let directory = "/tmp/Shop"

    @Test func compilerErrorsAreKeptOnceWithPathsRelativeToThePackage() {
        let log = """
            Building for debugging...
            [3/7] Compiling ShopTasks Price.swift
            /tmp/Shop/Sources/ShopTasks/Price.swift:12:5: error: cannot find 'x' in scope
             10 |     func run() {
             11 |         let y = 1
             12 |         x + y
                |         `- error: cannot find 'x' in scope
            /tmp/Shop/Sources/ShopTasks/Price.swift:12:5: error: cannot find 'x' in scope
            /tmp/Shop/Sources/ShopTasks/Price.swift:3:1: warning: unused variable 'z'
            /tmp/Shop/Sources/ShopTasks/Price.swift:4:2: note: did you mean 'y'?
            error: emit-module command failed with exit code 1 (use -v to see invocation)
            error: fatalError
            """
        #expect(
            BuildDiagnostics.compact(log, directory: directory) == [
                "Sources/ShopTasks/Price.swift:12:5: error: cannot find 'x' in scope",
                "error: fatalError",
            ]
        )
    }

    @Test func packageLevelErrorsWithoutALocationAreKept() {
        let log = "error: no product named 'ShopServer'\n"
        #expect(BuildDiagnostics.compact(log, directory: directory) == ["error: no product named 'ShopServer'"])
    }

    @Test func logWithoutAnyErrorLineFallsBackToItsLastLines() {
        let log = (1...20).map { "line \($0)" }.joined(separator: "\n") + "\n\n"
        let compact = BuildDiagnostics.compact(log, directory: directory, fallbackLines: 3)
        #expect(compact == ["line 18", "line 19", "line 20"])
    }
}
