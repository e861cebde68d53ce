import FlowCore
import FlowServer
import Foundation
import Testing

/// Servers refuse a flow whose step names a connection that neither the flow nor its project declares: the
/// step could only fail with `ConnectionError`, so the problem is reported at load, at the step's line.
struct UndeclaredConnectionScanTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("flowlang-undeclared-\(UUID().uuidString)")
        .path

    func write(_ text: String, to relativePath: String) throws {
        let file = root + "/" + relativePath
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: false, encoding: .utf8)
    }

    func flow(_ name: String, connection: String) -> String {
        "flow: \(name)\nsteps:\n  - task: sqlite_query\n    id: q\n    connection: \(connection)\n    inputs: {query: SELECT 1}\n"
    }

    @Test func projectSharedConnectionCountsAndAnUndeclaredOneIsAProblemAtItsStep() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(
            "name: Shop\nsettings:\n  shared_connections:\n    db:\n      type: sqlite\n      database: shop.db\n",
            to: "shop/project.yaml")
        try write(flow("UsesShared", connection: "db"), to: "shop/uses-shared/flow.yaml")
        try write(flow("UsesMissing", connection: "warehouse"), to: "shop/uses-missing/flow.yaml")

        let discovery = try FlowDirectoryScanner.scan(root)

        #expect(discovery.flows.map(\.name) == ["UsesShared"])
        let problem = try #require(discovery.problems.first)
        #expect(problem.errors.first?.location.line == 3)
        #expect(problem.errors.first?.location.file?.hasSuffix("shop/uses-missing/flow.yaml") == true)
        #expect(
            problem.description.contains(
                "names connection 'warehouse', which neither the flow nor its project declares"))
    }

    @Test func singleFlowWithAnUndeclaredConnectionDoesNotStart() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(flow("Lonely", connection: "db"), to: "flow.yaml")

        #expect {
            try FlowDirectoryScanner.scan(root)
        } throws: { error in
            "\(error)".contains("names connection 'db', which neither the flow nor its project declares")
        }
    }
}
