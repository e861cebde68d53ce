import Foundation
import Testing

@testable import FlowScaffold

/// `flowlang update`: a changed flow is merged into a package without losing anything written by hand.
@Suite struct ScaffoldMergeTests {
    static let version1 = """
        flow: MergeDemo
        inputs:
          - {name: order_id, type: string, required: true}
        steps:
          - task: FetchOrder
            id: order
            inputs: {order_id: "${inputs.order_id}"}
          - task: PriceOrder
            id: price
            inputs: {items: "${order.items}"}
          - task: ChargeCard
            id: charge
            inputs: {amount: "${price.total}"}
          - task: SendReceipt
            inputs: {to: "${order.email}"}
          - task: Audit
            inputs: {event: done}
        """

    /// Adds ShipOrder, removes SendReceipt (implemented), adds `currency` to ChargeCard (a stub) and to
    /// PriceOrder (implemented).
    static let version2 = """
        flow: MergeDemo
        inputs:
          - {name: order_id, type: string, required: true}
        steps:
          - task: FetchOrder
            id: order
            inputs: {order_id: "${inputs.order_id}"}
          - task: PriceOrder
            id: price
            inputs: {items: "${order.items}", currency: EUR}
          - task: ChargeCard
            id: charge
            inputs: {amount: "${price.total}", currency: EUR}
          - task: Audit
            inputs: {event: done}
          - task: ShipOrder
            inputs: {order_id: "${inputs.order_id}", email: "${order.email}"}
        """

    static let tasks = "Sources/MergeDemoTasks/Tasks"
    static let helper = "Sources/MergeDemoTasks/Helpers/Money.swift"
    static let helperText = "enum Money {\n    static func cents(_ amount: Double) -> Int { Int(amount * 100) }\n}\n"

    /// Deletes the stub line and replaces the stub body with `body`, as a developer implementing the task does.
    static func implement(_ contents: String, body: String, extraImport: String? = nil) -> String {
        var lines = contents.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeAll { $0.contains("flowlang:stub") }
        if let index = lines.firstIndex(where: { $0.contains("throw TaskError(") }) { lines[index] = "        " + body }
        lines.removeAll { $0.contains("here, then delete the `flowlang:stub` line above") }
        if let extraImport { lines.insert(extraImport, at: 1) }
        return lines.joined(separator: "\n")
    }

    /// A scaffolded MergeDemo with PriceOrder and SendReceipt implemented and a helper file added.
    struct Project {
        var directory: String
        var priceOrder: String
        var sendReceipt: String
    }

    static func implementedProject() throws -> Project {
        let directory = try ScaffoldFixtures.temporaryDirectory()
        try ScaffoldFixtures.plan(version1).apply(to: directory, mode: .scaffold(force: false))
        let priceOrder = implement(
            try #require(ScaffoldFixtures.read("\(tasks)/PriceOrder.swift", in: directory)),
            body: "return Output(total: .double(Double(Money.cents(12.5)) / 100))",
            extraImport: "import Foundation"
        )
        let sendReceipt = implement(
            try #require(ScaffoldFixtures.read("\(tasks)/SendReceipt.swift", in: directory)),
            body: "return [\"sent\": true]")
        try ScaffoldFixtures.write(priceOrder, to: "\(tasks)/PriceOrder.swift", in: directory)
        try ScaffoldFixtures.write(sendReceipt, to: "\(tasks)/SendReceipt.swift", in: directory)
        try ScaffoldFixtures.write(helperText, to: helper, in: directory)
        return Project(directory: directory, priceOrder: priceOrder, sendReceipt: sendReceipt)
    }

    @Test func updateKeepsEveryHandWrittenLineAndReportsExactNumbers() throws {
        let project = try Self.implementedProject()
        let directory = project.directory

        let report = try ScaffoldFixtures.plan(Self.version2).apply(to: directory, mode: .update)

        #expect(report.preservedTasks == ["PriceOrder"])
        #expect(report.addedStubs == ["ShipOrder"])
        #expect(report.regeneratedStubs == ["ChargeCard"])
        #expect(report.orphanedTasks == ["SendReceipt"])
        #expect(
            report.signatureChanges == [
                MergeReport.SignatureChange(task: "PriceOrder", added: ["currency"], removed: [])
            ])
        #expect(
            Set(report.regenerated) == [
                "flow.yaml", "README.md", "Sources/MergeDemoTasks/TaskRegistry+MergeDemo.swift",
                "Tests/MergeDemoTasksTests/FlowTests.swift",
            ])
        #expect(
            report.created.sorted() == [
                "Sources/MergeDemoTasks/Tasks/ShipOrder.swift", "Tests/MergeDemoTasksTests/ShipOrderTests.swift",
            ])
        #expect(report.leftAlone.isEmpty)
        #expect(report.backedUp.isEmpty)
        #expect(report.summary.contains("preserved 1 implemented task(s): PriceOrder"))
        #expect(report.summary.contains("added 1 stub(s): ShipOrder"))
        #expect(report.summary.contains("regenerated 1 stub(s): ChargeCard"))
        #expect(report.summary.contains("orphaned 1 task(s): SendReceipt"))
        #expect(report.summary.contains("signatures changed: PriceOrder (+currency)"))
        #expect(report.summary.contains("files regenerated: 4"))
        #expect(report.summary.contains("files left alone: 0"))
    }

    @Test func updateLeavesImplementedTasksHelpersAndImportsByteForByte() throws {
        let project = try Self.implementedProject()

        try ScaffoldFixtures.plan(Self.version2).apply(to: project.directory, mode: .update)

        #expect(ScaffoldFixtures.read("\(Self.tasks)/PriceOrder.swift", in: project.directory) == project.priceOrder)
        #expect(project.priceOrder.contains("import Foundation"))
        #expect(ScaffoldFixtures.read(Self.helper, in: project.directory) == Self.helperText)
    }

    @Test func removedTasksMoveToTheOrphanFolderWithAHeaderAndKeepTheirCode() throws {
        let project = try Self.implementedProject()

        try ScaffoldFixtures.plan(Self.version2).apply(to: project.directory, mode: .update)

        let orphan = try #require(
            ScaffoldFixtures.read("Sources/MergeDemoTasks/Orphaned/SendReceipt.swift", in: project.directory))
        #expect(!ScaffoldFixtures.exists("\(Self.tasks)/SendReceipt.swift", in: project.directory))
        #expect(orphan.hasPrefix("// ORPHANED by `flowlang update`: flow.yaml no longer calls the task 'SendReceipt'."))
        #expect(orphan.hasSuffix(project.sendReceipt))
        #expect(
            ScaffoldFixtures.exists("Tests/MergeDemoTasksTests/Orphaned/SendReceiptTests.swift", in: project.directory))
        let registry = try #require(
            ScaffoldFixtures.read("Sources/MergeDemoTasks/TaskRegistry+MergeDemo.swift", in: project.directory))
        #expect(!registry.contains("SendReceipt"))
        #expect(registry.contains("registry.add(ShipOrder.self, named: \"ShipOrder\")"))
    }

    @Test func stubsFollowTheNewInputsAndStayStubs() throws {
        let project = try Self.implementedProject()

        try ScaffoldFixtures.plan(Self.version2).apply(to: project.directory, mode: .update)

        let charge = try #require(ScaffoldFixtures.read("\(Self.tasks)/ChargeCard.swift", in: project.directory))
        #expect(TaskFileInspector.isStub(charge))
        #expect(TaskFileInspector.inputKeys(charge) == ["amount", "currency"])
        #expect(charge.contains("var currency: String"))
    }

    @Test func statusAndManifestFollowTheMerge() throws {
        let project = try Self.implementedProject()

        try ScaffoldFixtures.plan(Self.version2).apply(to: project.directory, mode: .update)

        let status = try #require(Scaffolder.status(of: project.directory))
        #expect(status.implemented == ["PriceOrder"])
        #expect(status.pending == ["Audit", "ChargeCard", "FetchOrder", "ShipOrder"])
        #expect(status.orphaned == ["SendReceipt"])
        #expect(status.progress == "1/5")
        let manifest = try #require(Manifest.load(from: project.directory))
        #expect(manifest.orphans["SendReceipt"]?.type == "SendReceipt")
        #expect(manifest.tasks["PriceOrder"]?.inputs == ["items", "currency"])
    }

    @Test func aSecondUpdateWithTheSameFlowChangesNothing() throws {
        let project = try Self.implementedProject()
        try ScaffoldFixtures.plan(Self.version2).apply(to: project.directory, mode: .update)
        let before = ScaffoldFixtures.allFiles(in: project.directory).filter { !$0.hasPrefix(".flowlang") }
            .map { ($0, ScaffoldFixtures.read($0, in: project.directory)) }

        let report = try ScaffoldFixtures.plan(Self.version2).apply(to: project.directory, mode: .update)

        #expect(
            report.regenerated.isEmpty && report.created.isEmpty && report.regeneratedStubs.isEmpty
                && report.orphanedTasks.isEmpty)
        let after = ScaffoldFixtures.allFiles(in: project.directory).filter { !$0.hasPrefix(".flowlang") }
            .map { ($0, ScaffoldFixtures.read($0, in: project.directory)) }
        #expect(after.map(\.0) == before.map(\.0))
        #expect(after.map(\.1) == before.map(\.1))
    }

    @Test func anOrphanedTaskBackInTheFlowMovesBackUnchanged() throws {
        let project = try Self.implementedProject()
        try ScaffoldFixtures.plan(Self.version2).apply(to: project.directory, mode: .update)

        let report = try ScaffoldFixtures.plan(Self.version1).apply(to: project.directory, mode: .update)

        #expect(report.restoredTasks == ["SendReceipt"])
        #expect(report.preservedTasks.sorted() == ["PriceOrder", "SendReceipt"])
        #expect(report.orphanedTasks == ["ShipOrder"])
        #expect(ScaffoldFixtures.read("\(Self.tasks)/SendReceipt.swift", in: project.directory) == project.sendReceipt)
        #expect(!ScaffoldFixtures.exists("Sources/MergeDemoTasks/Orphaned/SendReceipt.swift", in: project.directory))
        #expect(ScaffoldFixtures.exists("Tests/MergeDemoTasksTests/SendReceiptTests.swift", in: project.directory))
    }

    @Test func anEditedGeneratedFileIsLeftAloneWithTheNewVersionBesideIt() throws {
        let project = try Self.implementedProject()
        let readme = "# My own README\n"
        try ScaffoldFixtures.write(readme, to: "README.md", in: project.directory)
        let flowTests = "// mine\n"
        try ScaffoldFixtures.write(flowTests, to: "Tests/MergeDemoTasksTests/FlowTests.swift", in: project.directory)

        let report = try ScaffoldFixtures.plan(Self.version2).apply(to: project.directory, mode: .update)

        #expect(ScaffoldFixtures.read("README.md", in: project.directory) == readme)
        #expect(ScaffoldFixtures.read("README.md.flowlang-new", in: project.directory)?.contains("ShipOrder") == true)
        #expect(ScaffoldFixtures.read("Tests/MergeDemoTasksTests/FlowTests.swift", in: project.directory) == flowTests)
        #expect(
            ScaffoldFixtures.exists(".flowlang/new/Tests/MergeDemoTasksTests/FlowTests.swift", in: project.directory))
        #expect(report.leftAlone.map(\.path) == ["README.md", "Tests/MergeDemoTasksTests/FlowTests.swift"])
        #expect(report.summary.contains("README.md: new version in README.md.flowlang-new"))
    }

    @Test func anEditedStubKeepsItsEditsUntilItsInputsChange() throws {
        let directory = try ScaffoldFixtures.temporaryDirectory()
        try ScaffoldFixtures.plan(Self.version1).apply(to: directory, mode: .scaffold(force: false))
        let audit = try #require(ScaffoldFixtures.read("\(Self.tasks)/Audit.swift", in: directory)) + "// a note\n"
        let charge =
            "import Logging\n" + (try #require(ScaffoldFixtures.read("\(Self.tasks)/ChargeCard.swift", in: directory)))
        try ScaffoldFixtures.write(audit, to: "\(Self.tasks)/Audit.swift", in: directory)
        try ScaffoldFixtures.write(charge, to: "\(Self.tasks)/ChargeCard.swift", in: directory)

        let report = try ScaffoldFixtures.plan(Self.version2).apply(to: directory, mode: .update)

        #expect(ScaffoldFixtures.read("\(Self.tasks)/Audit.swift", in: directory) == audit)
        let regenerated = try #require(ScaffoldFixtures.read("\(Self.tasks)/ChargeCard.swift", in: directory))
        #expect(regenerated.contains("import Logging"))
        #expect(TaskFileInspector.inputKeys(regenerated) == ["amount", "currency"])
        #expect(report.backedUp == ["\(Self.tasks)/ChargeCard.swift"])
        let backup = try #require(report.backupDirectory)
        #expect(ScaffoldFixtures.read("\(backup)/\(Self.tasks)/ChargeCard.swift", in: directory) == charge)
    }

    @Test func theRegistryIsRewrittenEvenWhenEditedButBackedUpFirst() throws {
        let directory = try ScaffoldFixtures.temporaryDirectory()
        try ScaffoldFixtures.plan(Self.version1).apply(to: directory, mode: .scaffold(force: false))
        let registryPath = "Sources/MergeDemoTasks/TaskRegistry+MergeDemo.swift"
        try ScaffoldFixtures.write("// edited\n", to: registryPath, in: directory)

        let report = try ScaffoldFixtures.plan(Self.version2).apply(
            to: directory, mode: .update, now: Date(timeIntervalSince1970: 0))

        #expect(report.backupDirectory == ".flowlang/backup/19700101-000000")
        #expect(
            ScaffoldFixtures.read(".flowlang/backup/19700101-000000/\(registryPath)", in: directory) == "// edited\n")
        #expect(ScaffoldFixtures.read(registryPath, in: directory)?.contains("makeTaskRegistry") == true)
    }

    @Test func forcedScaffoldOverAProjectKeepsImplementedTasksAndBacksUpEditedFiles() throws {
        let project = try Self.implementedProject()
        try ScaffoldFixtures.write("# mine\n", to: "README.md", in: project.directory)

        let report = try ScaffoldFixtures.plan(Self.version1).apply(to: project.directory, mode: .scaffold(force: true))

        #expect(ScaffoldFixtures.read("\(Self.tasks)/PriceOrder.swift", in: project.directory) == project.priceOrder)
        #expect(ScaffoldFixtures.read("\(Self.tasks)/SendReceipt.swift", in: project.directory) == project.sendReceipt)
        #expect(report.preservedTasks == ["PriceOrder", "SendReceipt"])
        #expect(report.backedUp == ["README.md"])
        #expect(
            ScaffoldFixtures.read("\(try #require(report.backupDirectory))/README.md", in: project.directory)
                == "# mine\n")
        #expect(ScaffoldFixtures.read("README.md", in: project.directory)?.hasPrefix("# MergeDemo") == true)
    }

    @Test func signatureChecksReadCodingKeysOrStoredProperties() {
        let withKeys = """
            struct Input: Codable, Sendable {
                var orderId: String
                var note: String? // optional
                enum CodingKeys: String, CodingKey {
                    case orderId = "order_id", note
                }
            }
            """
        let plain = """
            struct Input: Decodable, Sendable {
                public var amount: Double
                let currency: String
                var display: String { "\\(amount) \\(currency)" }
                static let zero = 0
            }
            """
        #expect(TaskFileInspector.inputKeys(withKeys) == ["order_id", "note"])
        #expect(TaskFileInspector.inputKeys(plain) == ["amount", "currency"])
        #expect(TaskFileInspector.inputKeys("typealias Input = FlowValue") == nil)
    }

    /// A package generated before servers read every setting: its server file as that generator wrote it.
    static let oldServer = """
        import FlowServer
        @main struct MergeDemoServer {
            static func main() async { /* host and port only */ }
        }

        """

    /// Puts the old server file in place and records it in the manifest as what flowlang wrote.
    static func packageWithOldServer(editedBy edit: String = "") throws -> String {
        let directory = try ScaffoldFixtures.temporaryDirectory()
        try ScaffoldFixtures.plan(version1).apply(to: directory, mode: .scaffold(force: false))
        let server = "Sources/MergeDemoServer/MergeDemoServer.swift"
        try ScaffoldFixtures.write(oldServer + edit, to: server, in: directory)
        var manifest = try #require(Manifest.load(from: directory))
        manifest.files[server] = ContentHash.of(oldServer)
        try ScaffoldFixtures.write(manifest.encoded(), to: ProjectLayout.manifestFile, in: directory)
        return directory
    }

    @Test func updateReplacesAnUneditedOldServerAndSaysWhy() throws {
        let directory = try Self.packageWithOldServer()
        let report = try ScaffoldFixtures.plan(Self.version1).apply(to: directory, mode: .update)
        let server = try #require(ScaffoldFixtures.read("Sources/MergeDemoServer/MergeDemoServer.swift", in: directory))
        #expect(server.contains("FlowPackageServer.main"))
        #expect(report.regenerated.contains("Sources/MergeDemoServer/MergeDemoServer.swift"))
        #expect(
            report.summary.contains(
                "Sources/MergeDemoServer/MergeDemoServer.swift: security fix: servers generated before"))
    }

    @Test func updateOffersTheNewServerBesideAnEditedOneAndSaysWhy() throws {
        let directory = try Self.packageWithOldServer(editedBy: "// my change\n")
        let report = try ScaffoldFixtures.plan(Self.version1).apply(to: directory, mode: .update)
        #expect(
            ScaffoldFixtures.read("Sources/MergeDemoServer/MergeDemoServer.swift", in: directory)?.contains("my change")
                == true)
        let offered = report.leftAlone.first { $0.path == "Sources/MergeDemoServer/MergeDemoServer.swift" }
        let newVersion = try #require(offered?.newVersion)
        #expect(ScaffoldFixtures.read(newVersion, in: directory)?.contains("FlowPackageServer.main") == true)
        #expect(report.summary.contains("new version in \(newVersion) (security fix: servers generated before"))

        let again = try ScaffoldFixtures.plan(Self.version1).apply(to: directory, mode: .update)
        #expect(!again.summary.contains("security fix"), "the reason is said once, not on every update")
    }
}
