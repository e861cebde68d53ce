import FlowCore
import FlowServer
import Foundation
import Testing

/// Finding versioned flows on disk: `order/v1/flow.yaml`, `order/v2/flow.yaml`, a `latest` link ignored.
struct VersionedFlowDirectoryTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("flowlang-versions-\(UUID().uuidString)")
        .path

    func write(_ text: String, to relativePath: String) throws {
        let file = root + "/" + relativePath
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: false, encoding: .utf8)
    }

    func flow(_ name: String) -> String {
        "flow: \(name)\nsteps:\n  - task: Echo\n    id: say\n    inputs: {message: hi}\n"
    }

    @Test func versionDirectoriesAreServedSideBySideAndTheHighestIsLatest() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(flow("Order"), to: "order/v1/flow.yaml")
        try write(flow("Order"), to: "order/v2/flow.yaml")
        try write(flow("Order"), to: "order/v10/flow.yaml")
        try write(flow("Other"), to: "other/flow.yaml")
        try FileManager.default.createSymbolicLink(
            atPath: root + "/order/latest", withDestinationPath: root + "/order/v1")

        let discovery = try FlowDirectoryScanner.scan(root)
        #expect(discovery.problems.isEmpty)
        #expect(discovery.flows.map(\.name) == ["Order", "Order", "Order", "Other"])
        #expect(discovery.flows.map(\.version) == ["v1", "v2", "v10", nil])
        #expect(discovery.flows[2].directory == root + "/order/v10")

        let catalog = FlowCatalog(flows: discovery.flows)
        #expect(catalog.flow(named: "Order")?.version == "v10")
        #expect(catalog.versions(of: "Order").map(\.version) == ["v1", "v2", "v10"])
        #expect(catalog.flow(named: "Order", version: "v2")?.path == "/v2/flows/Order")
    }

    @Test func aVersionWithAnotherFlowNameIsSkippedWithAProblem() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(flow("Order"), to: "order/v1/flow.yaml")
        try write(flow("Renamed"), to: "order/v2/flow.yaml")

        let discovery = try FlowDirectoryScanner.scan(root)
        #expect(discovery.flows.map(\.version) == ["v1"])
        let problem = try #require(discovery.problems.first?.description)
        #expect(
            problem.contains(
                "version v2 is named 'Renamed', but the other versions in \(root)/order are named 'Order'; skipped"))
    }

    @Test func thePathItselfMayBeAVersionedFlow() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(flow("Order"), to: "v1/flow.yaml")
        try write(flow("Order"), to: "v2/flow.yaml")

        let discovery = try FlowDirectoryScanner.scan(root)
        #expect(!discovery.isSingleFlow)
        #expect(discovery.flows.map(\.version) == ["v1", "v2"])
    }

    @Test func versionLabelsAreVFollowedByDigits() {
        #expect(FlowVersion.number(of: "v12") == 12)
        for label in ["v", "V1", "1", "v1a", "v+1", "latest", "v-1"] {
            #expect(FlowVersion.number(of: label) == nil, "\(label)")
        }
    }
}
