import Foundation
import Testing

@testable import FlowScaffold

/// The `scaffold`, `update`, `auto` and `auto-all` commands: refusals, dry runs, invalid flows and exit codes.
@Suite struct ScaffoldCommandTests {
    /// A directory holding `flow.yaml` with `yaml`, and the path of that file.
    static func flowFile(_ yaml: String = ScaffoldFixtures.shopFlow, name: String = "flow.yaml") throws -> (
        directory: String, file: String
    ) {
        let directory = try ScaffoldFixtures.temporaryDirectory()
        try ScaffoldFixtures.write(yaml, to: name, in: directory)
        return (directory, (directory as NSString).appendingPathComponent(name))
    }

    static func request(_ file: String, _ output: String, force: Bool = false, dryRun: Bool = false)
        -> ProjectGenerator.Request
    {
        ProjectGenerator.Request(
            flowFile: file, outputDirectory: output, force: force, dryRun: dryRun, flowLang: .path("/opt/FlowLang"))
    }

    @Test func scaffoldIntoANewDirectoryWritesThePackage() throws {
        let (directory, file) = try Self.flowFile()
        let output = (directory as NSString).appendingPathComponent("out")

        let outcome = ProjectGenerator.scaffold(Self.request(file, output))

        #expect(outcome.exitCode == 0)
        #expect(
            outcome.text.contains(
                "Found 7 task(s): ChargeCard, CheckStock, LoadCustomer, NotifyOps, PriceOrder, RefundCharge, ReserveShelf"
            ))
        #expect(outcome.text.contains("Built-in tasks used (no code needed): Log"))
        #expect(ScaffoldFixtures.exists(".flowlang/manifest.json", in: output))
        #expect(ScaffoldFixtures.exists(".env.example", in: output))
        let start = (output as NSString).appendingPathComponent("tools/start_server.sh")
        #expect(FileManager.default.isExecutableFile(atPath: start))
    }

    @Test func aNonEmptyDirectoryNotMadeByFlowlangIsRefusedNamingItsFiles() throws {
        let (directory, file) = try Self.flowFile()
        let output = (directory as NSString).appendingPathComponent("out")
        try ScaffoldFixtures.write("notes", to: "notes.txt", in: output)
        try ScaffoldFixtures.write("x", to: "src/main.c", in: output)

        let outcome = ProjectGenerator.scaffold(Self.request(file, output))

        #expect(outcome.exitCode == 1)
        #expect(outcome.text.contains("is not empty and was not created by flowlang"))
        #expect(outcome.text.contains("notes.txt, src"))
        #expect(outcome.text.contains("--force"))
        #expect(ScaffoldFixtures.allFiles(in: output) == ["notes.txt", "src/main.c"])
    }

    @Test func forceWritesIntoAForeignDirectoryWithoutDeletingAnything() throws {
        let (directory, file) = try Self.flowFile()
        let output = (directory as NSString).appendingPathComponent("out")
        try ScaffoldFixtures.write("mine\n", to: "README.md", in: output)
        try ScaffoldFixtures.write("notes", to: "notes.txt", in: output)

        let outcome = ProjectGenerator.scaffold(Self.request(file, output, force: true))

        #expect(outcome.exitCode == 0)
        #expect(ScaffoldFixtures.read("notes.txt", in: output) == "notes")
        #expect(ScaffoldFixtures.read("README.md", in: output)?.hasPrefix("# ShopOrder") == true)
        let backups = ScaffoldFixtures.allFiles(in: output).filter { $0.hasPrefix(".flowlang/backup/") }
        #expect(backups.count == 1 && backups[0].hasSuffix("/README.md"))
    }

    @Test func scaffoldingNextToItsOwnFlowFileIsAllowed() throws {
        let (directory, file) = try Self.flowFile()

        let outcome = ProjectGenerator.scaffold(Self.request(file, directory))

        #expect(outcome.exitCode == 0)
        #expect(ScaffoldFixtures.read("flow.yaml", in: directory) == ScaffoldFixtures.shopFlow)
        #expect(ScaffoldFixtures.exists("Package.swift", in: directory))
    }

    @Test func anExistingProjectIsRefusedWithAHintToUpdate() throws {
        let (directory, file) = try Self.flowFile()
        let output = (directory as NSString).appendingPathComponent("out")
        #expect(ProjectGenerator.scaffold(Self.request(file, output)).exitCode == 0)

        let outcome = ProjectGenerator.scaffold(Self.request(file, output))

        #expect(outcome.exitCode == 1)
        #expect(outcome.text.contains("already holds the flowlang project 'ShopOrder'"))
        #expect(outcome.text.contains("flowlang update \(file) -o \(output)"))
    }

    @Test func dryRunPrintsThePlanAndWritesNothing() throws {
        let (directory, file) = try Self.flowFile()
        let output = (directory as NSString).appendingPathComponent("out")

        let outcome = ProjectGenerator.scaffold(Self.request(file, output, dryRun: true))

        #expect(outcome.exitCode == 0)
        #expect(outcome.text.contains("create  Package.swift"))
        #expect(outcome.text.contains("create  Sources/ShopOrderTasks/Tasks/ChargeCard.swift"))
        #expect(outcome.text.contains("dry run: nothing written"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func dryRunUpdateShowsMovesAndWritesNothing() throws {
        let (directory, file) = try Self.flowFile(ScaffoldMergeTests.version1)
        let output = (directory as NSString).appendingPathComponent("out")
        #expect(ProjectGenerator.scaffold(Self.request(file, output)).exitCode == 0)
        let before = ScaffoldFixtures.allFiles(in: output).map { ScaffoldFixtures.read($0, in: output) }
        try ScaffoldFixtures.write(ScaffoldMergeTests.version2, to: "flow.yaml", in: directory)

        let outcome = ProjectGenerator.update(Self.request(file, output, dryRun: true))

        #expect(outcome.exitCode == 0)
        #expect(
            outcome.text.contains(
                "move    Sources/MergeDemoTasks/Tasks/SendReceipt.swift -> Sources/MergeDemoTasks/Orphaned/SendReceipt.swift"
            ))
        #expect(outcome.text.contains("orphaned 1 task(s): SendReceipt"))
        #expect(ScaffoldFixtures.allFiles(in: output).map { ScaffoldFixtures.read($0, in: output) } == before)
    }

    @Test func anInvalidFlowIsNotScaffoldedAndItsDiagnosticsAreShown() throws {
        let (directory, file) = try Self.flowFile("flow: Broken\nsteps:\n  - task: A\n    inptus: {}\n")
        let output = (directory as NSString).appendingPathComponent("out")

        let outcome = ProjectGenerator.scaffold(Self.request(file, output))

        #expect(outcome.exitCode == 2)
        #expect(outcome.text.contains("unknown key 'inptus'"))
        #expect(outcome.text.contains("nothing was generated"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func updateWithoutAProjectSuggestsScaffold() throws {
        let (directory, file) = try Self.flowFile()

        let outcome = ProjectGenerator.update(
            Self.request(file, (directory as NSString).appendingPathComponent("none")))

        #expect(outcome.exitCode == 1)
        #expect(outcome.text.contains("no flowlang project"))
        #expect(outcome.text.contains("flowlang scaffold"))
    }

    @Test func updateRefusesAFlowWithAnotherName() throws {
        let (directory, file) = try Self.flowFile()
        let output = (directory as NSString).appendingPathComponent("out")
        #expect(ProjectGenerator.scaffold(Self.request(file, output)).exitCode == 0)
        try ScaffoldFixtures.write(ScaffoldMergeTests.version1, to: "flow.yaml", in: directory)

        let outcome = ProjectGenerator.update(Self.request(file, output))

        #expect(outcome.exitCode == 1)
        #expect(outcome.text.contains("holds the flow 'ShopOrder', but \(file) defines 'MergeDemo'"))
    }

    @Test func updatePrintsTheMergeSummaryAndTheTaskStatus() throws {
        let (directory, file) = try Self.flowFile(ScaffoldMergeTests.version1)
        let output = (directory as NSString).appendingPathComponent("out")
        #expect(ProjectGenerator.scaffold(Self.request(file, output)).exitCode == 0)
        try ScaffoldFixtures.write(ScaffoldMergeTests.version2, to: "flow.yaml", in: directory)

        let outcome = ProjectGenerator.update(Self.request(file, output))

        #expect(outcome.exitCode == 0)
        #expect(outcome.text.contains("Merge summary:"))
        #expect(outcome.text.contains("added 1 stub(s): ShipOrder"))
        #expect(outcome.text.contains("Tasks implemented: 0/5"))
    }

    @Test func updatingFromThePackagesOwnEditedFlowFileBacksNothingUp() throws {
        let (directory, file) = try Self.flowFile(ScaffoldMergeTests.version1)
        #expect(ProjectGenerator.scaffold(Self.request(file, directory)).exitCode == 0)
        try ScaffoldFixtures.write(ScaffoldMergeTests.version2, to: "flow.yaml", in: directory)

        let outcome = ProjectGenerator.update(Self.request(file, directory))

        #expect(outcome.exitCode == 0)
        #expect(!outcome.text.contains("backed up"))
        #expect(!ScaffoldFixtures.exists(".flowlang/backup", in: directory))
        #expect(ScaffoldFixtures.read("flow.yaml", in: directory) == ScaffoldMergeTests.version2)
    }

    @Test func autoScaffoldsBesideTheFlowUnderTheFlowNameThenUpdates() throws {
        let (directory, file) = try Self.flowFile(name: "shop.yaml")
        let expected = (directory as NSString).appendingPathComponent("ShopOrder")

        let first = ProjectGenerator.auto(Self.request(file, ""))
        let second = ProjectGenerator.auto(Self.request(file, ""))

        #expect(first.exitCode == 0 && first.text.contains("Scaffolding 'ShopOrder' into \(expected)"))
        #expect(second.exitCode == 0 && second.text.contains("Updating 'ShopOrder' into \(expected)"))
        #expect(ScaffoldFixtures.exists(".flowlang/manifest.json", in: expected))
    }

    @Test func autoAllRunsEveryMatchingFileAndFailsWhenOneFails() throws {
        let (directory, _) = try Self.flowFile(name: "a.yaml")
        try ScaffoldFixtures.write(ScaffoldMergeTests.version1, to: "b.yaml", in: directory)
        try ScaffoldFixtures.write("flow: Bad\n", to: "c.yaml", in: directory)
        try ScaffoldFixtures.write("ignored", to: "notes.txt", in: directory)

        let outcome = ProjectGenerator.autoAll(directory: directory, pattern: "*.yaml", template: Self.request("", ""))

        #expect(outcome.exitCode == 1)
        #expect(outcome.text.contains("auto-all: 3 file(s), 2 succeeded, 1 failed"))
        #expect(outcome.text.contains("❌ \((directory as NSString).appendingPathComponent("c.yaml")) (exit 2)"))
        #expect(ScaffoldFixtures.exists("ShopOrder/Package.swift", in: directory))
        #expect(ScaffoldFixtures.exists("MergeDemo/Package.swift", in: directory))
    }

    @Test func autoAllWithNoMatchingFileFails() throws {
        let directory = try ScaffoldFixtures.temporaryDirectory()

        let outcome = ProjectGenerator.autoAll(directory: directory, pattern: "*.yml", template: Self.request("", ""))

        #expect(outcome.exitCode == 1)
        #expect(outcome.text.contains("no file in '\(directory)' matches '*.yml'"))
    }

    @Test func globPatternsMatchLikeTheShell() {
        #expect(Glob.matches("*.yaml", "flow.yaml"))
        #expect(!Glob.matches("*.yaml", "flow.yml"))
        #expect(Glob.matches("order_?.y*ml", "order_1.yaml"))
        #expect(Glob.matches("[a-c]*.yaml", "b.yaml"))
        #expect(!Glob.matches("[!a-c]*.yaml", "b.yaml"))
    }

    @Test func flowlangLocationsBecomePackageDependencies() {
        #expect(FlowLangDependency(argument: "../FlowLang", relativeTo: "/work/x") == .path("/work/FlowLang"))
        #expect(
            FlowLangDependency(argument: "https://example.com/org/FlowLang.git")
                == .url("https://example.com/org/FlowLang.git", branch: "main"))
        #expect(FlowLangDependency.path("/work/main").packageIdentity == "FlowLang")
        #expect(
            FlowLangDependency.url("git@example.com:org/Flow-Lang.git", branch: "main").packageIdentity == "flow-lang")
        #expect(FlowLangDependency.buildCheckoutExists)
    }
}
