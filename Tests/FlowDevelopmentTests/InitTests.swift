import FlowCore
import FlowDevelopment
import FlowScaffold
import Foundation
import Testing

/// `flowlang init` on temporary directories.
@Suite("Initialising a project from a template")
struct InitTests {
    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "flowlang-init-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    func read(_ relative: String) -> String? { try? String(contentsOfFile: path(relative), encoding: .utf8) }

    func initialise(_ directory: String, template: ProjectTemplate = .hello, name: String? = nil, force: Bool = false)
        -> ProjectInitializer.Outcome
    {
        ProjectInitializer.run(
            ProjectInitializer.Request(
                directory: path(directory), template: template, name: name, force: force,
                flowLang: .path("/opt/FlowLang"))
        )
    }

    @Test func helloTemplateWritesTheFlowAndScaffoldsItsPackage() throws {
        let outcome = initialise("greeter")
        #expect(outcome.exitCode == 0, "\(outcome.text)")
        let flow = try #require(read("greeter/flow.yaml"))
        #expect(flow.hasPrefix("flow: Greeter\n"))
        #expect(read("greeter/Package.swift")?.contains("\"Greeter\"") == true)
        let stub = try #require(read("greeter/Sources/GreeterTasks/Tasks/Greet.swift"))
        #expect(stub.contains("/// Builds the greeting for one user."))
        #expect(
            read("greeter/Sources/GreeterTasks/TaskRegistry+Greeter.swift")?.contains(
                #"description: "Builds the greeting for one user.""#) == true)
        #expect(outcome.text.contains("flowlang serve"))
    }

    @Test func everyTemplateLoadsAsAValidFlow() throws {
        for template in ProjectTemplate.allCases {
            let flow = try FlowLoader().load(yaml: template.flowYAML(flowName: "Check"), file: "flow.yaml")
            #expect(flow.name == "Check")
        }
    }

    @Test func orderTemplateScaffoldsOneStubPerCustomTask() throws {
        let outcome = initialise("shop", template: .orderFulfillment, name: "Shop")
        #expect(outcome.exitCode == 0, "\(outcome.text)")
        let tasks = try FileManager.default.contentsOfDirectory(atPath: path("shop/Sources/ShopTasks/Tasks")).sorted()
        #expect(
            tasks == [
                "ChargePayment.swift", "CheckInventory.swift", "CreateShipment.swift", "PriceOrder.swift",
                "RefundPayment.swift",
                "ValidateOrder.swift",
            ]
        )
    }

    @Test func nonEmptyDirectoryIsRefusedWithoutForce() throws {
        try FileManager.default.createDirectory(atPath: path("busy"), withIntermediateDirectories: true)
        try "notes".write(toFile: path("busy/notes.txt"), atomically: true, encoding: .utf8)
        let outcome = initialise("busy")
        #expect(outcome.exitCode == 1)
        #expect(outcome.text.contains("not empty (notes.txt)"))
        #expect(read("busy/flow.yaml") == nil)
    }

    @Test func forceWritesIntoANonEmptyDirectoryAndBacksUpAnOldFlow() throws {
        try FileManager.default.createDirectory(atPath: path("busy"), withIntermediateDirectories: true)
        try "flow: Old\nsteps: []\n".write(toFile: path("busy/flow.yaml"), atomically: true, encoding: .utf8)
        let outcome = initialise("busy", name: "Fresh", force: true)
        #expect(outcome.exitCode == 0, "\(outcome.text)")
        #expect(read("busy/flow.yaml")?.hasPrefix("flow: Fresh") == true)
        #expect(read("busy/.flowlang/backup/flow.yaml") == "flow: Old\nsteps: []\n")
    }

    @Test func directoryHoldingOnlyGitIsEmptyEnough() throws {
        try FileManager.default.createDirectory(atPath: path("repo/.git"), withIntermediateDirectories: true)
        #expect(initialise("repo").exitCode == 0)
    }

    @Test func invalidNameIsRejectedBeforeWritingAnything() {
        let outcome = initialise("bad", name: "my flow: x")
        #expect(outcome.exitCode == 2)
        #expect(outcome.text.contains("--name 'my flow: x'"))
        #expect(!FileManager.default.fileExists(atPath: path("bad")))
    }

    @Test func nameComesFromTheDirectory() throws {
        #expect(initialise("my-shop").exitCode == 0)
        #expect(read("my-shop/flow.yaml")?.hasPrefix("flow: MyShop\n") == true)
    }
}
