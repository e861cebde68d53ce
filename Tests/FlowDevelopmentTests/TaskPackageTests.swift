import FlowDevelopment
import Foundation
import Testing

@Suite("Locating a flow or a task package")
struct TaskPackageTests {
    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "flowlang-taskpackage-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func write(_ text: String, to relative: String) throws {
        let path = (root as NSString).appendingPathComponent(relative)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func directoryWithOnlyFlowYamlIsFlowOnly() throws {
        try write("flow: Hello\nsteps: []\n", to: "flow.yaml")
        let package = try TaskPackage.locate(root)
        #expect(package.kind == .flowOnly)
        #expect(package.flowFile.hasSuffix("/flow.yaml"))
    }

    @Test func flowFilePathLocatesItsDirectory() throws {
        try write("flow: Hello\nsteps: []\n", to: "flow.yaml")
        let package = try TaskPackage.locate(root + "/flow.yaml")
        #expect(package.directory == URL(fileURLWithPath: root).standardizedFileURL.path)
    }

    @Test func scaffoldedPackageNamesItsServerProduct() throws {
        try write("flow: shop_order\nsteps: []\n", to: "flow.yaml")
        try write("// swift-tools-version:6.2\n", to: "Package.swift")
        try write(
            #"{"generator":"flowlang 0","flow":"shop_order","module":"ShopOrder","files":{},"tasks":{},"orphans":{}}"#,
            to: ".flowlang/manifest.json")
        let package = try TaskPackage.locate(root)
        #expect(package.kind == .swiftPackage(serverProduct: "ShopOrderServer"))
    }

    @Test func packageWithoutFlowlangManifestIsRefusedWithReason() throws {
        try write("flow: Hello\nsteps: []\n", to: "flow.yaml")
        try write("// swift-tools-version:6.2\n", to: "Package.swift")
        #expect(throws: TaskPackageError.self) { try TaskPackage.locate(root) }
    }

    @Test func missingFlowYamlIsNamed() throws {
        let error = #expect(throws: TaskPackageError.self) { try TaskPackage.locate(root) }
        #expect(error?.message.contains("no flow.yaml") == true)
    }
}
