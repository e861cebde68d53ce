import FlowCore
import FlowDevelopment
import FlowScaffold
import Foundation
import Testing

/// Watch mode on a scaffolded package: a one-line task edit is rebuilt and re-run with a diff, a broken edit
/// shows the compiler error and watching goes on, the fix runs again.
///
/// Builds FlowLang into the shared scratch folder `<FlowLang>/.build-e2e/scratch`, so it runs only with
/// `FLOWLANG_E2E=1`:
///
///     FLOWLANG_E2E=1 swift test --filter WatchPackageEndToEndTests
@Suite(
    .enabled(
        if: ProcessInfo.processInfo.environment["FLOWLANG_E2E"] == "1",
        "set FLOWLANG_E2E=1 to build a scaffolded package"),
    .timeLimit(.minutes(40))
)
struct WatchPackageEndToEndTests {
    static let checkout = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scratch = checkout.appendingPathComponent(".build-e2e/scratch").path

    static let flow = """
        flow: Quote
        inputs:
          - name: price
            type: number
            required: true
        steps:
          - task: PriceQuote
            id: quote
            inputs:
              price: ${inputs.price}
        outputs:
          - name: final_price
            value: ${quote.final_price}
        """

    static func task(discount: String) -> String {
        """
        import FlowCore

        enum PriceQuote: FlowTask {
            struct Input: Codable, Sendable {
                var price: FlowValue
            }

            struct Output: Codable, Sendable {
                var finalPrice: FlowValue

                enum CodingKeys: String, CodingKey {
                    case finalPrice = "final_price"
                }
            }

            static func run(_ input: Input, context: TaskContext) async throws -> Output {
                let discount = \(discount)
                return Output(finalPrice: .double((input.price.doubleValue ?? 0) - discount))
            }
        }

        """
    }

    @Test func taskEditRebuildsAndReRunsWithADiffAndABrokenEditKeepsWatching() async throws {
        let root = try makeWatchDirectory("watch-e2e")
        try writeFile(Self.flow, to: "Quote.yaml", in: root)
        let directory = root + "/Quote"
        let scaffolded = ProjectGenerator.scaffold(
            ProjectGenerator.Request(
                flowFile: root + "/Quote.yaml", outputDirectory: directory, flowLang: .path(Self.checkout.path))
        )
        try #require(scaffolded.exitCode == 0, "\(scaffolded.text)")
        let taskFile = "Sources/QuoteTasks/Tasks/PriceQuote.swift"
        try writeFile(Self.task(discount: "0.0"), to: taskFile, in: directory)
        try writeFile(#"{"price": 95}"#, to: "test_inputs.json", in: directory)

        let package = try TaskPackage.locate(directory)
        #expect(package.kind == .swiftPackage(serverProduct: "QuoteServer"))
        let session = try WatchSession(
            package: package,
            inputs: TestInputs(explicit: nil, directory: directory),
            pollInterval: .milliseconds(100),
            scratchPath: Self.scratch
        )
        try await watch(session) { reports in
            let first = try await reports.next()
            guard case .ran(let summary, _, _) = first.outcome else { throw Unexpected(first) }
            #expect(summary.outputs == ["final_price": 95])
            #expect(first.build?.succeeded == true)

            let edited = ContinuousClock.now
            try writeFile(Self.task(discount: "5.02"), to: taskFile, in: directory)
            let second = try await reports.next()
            let editLatency = ContinuousClock.now - edited
            guard case .ran(_, _, let diff) = second.outcome else { throw Unexpected(second) }
            #expect(diff?.lines == ["final_price: 95 → 89.98"])
            #expect(second.build?.succeeded == true)

            try writeFile(Self.task(discount: "5.02 +"), to: taskFile, in: directory)
            let broken = try await reports.next()
            guard case .buildFailed(let errors) = broken.outcome else { throw Unexpected(broken) }
            #expect(errors.contains { $0.hasPrefix("\(taskFile):") && $0.contains(": error: ") }, "\(errors)")
            #expect(WatchRenderer.render(broken).contains("still watching"))

            try writeFile(Self.task(discount: "5.0"), to: taskFile, in: directory)
            let fixed = try await reports.next()
            guard case .ran(_, _, let fixedDiff) = fixed.outcome else { throw Unexpected(fixed) }
            #expect(fixedDiff?.lines == ["final_price: 89.98 → 90"])

            let yamlEdited = ContinuousClock.now
            try writeFile(
                Self.flow.replacingOccurrences(of: "price: ${inputs.price}", with: "price: 100"), to: "flow.yaml",
                in: directory)
            let yamlRun = try await reports.next()
            let yamlLatency = ContinuousClock.now - yamlEdited
            guard case .ran(_, _, let yamlDiff) = yamlRun.outcome else { throw Unexpected(yamlRun) }
            #expect(yamlDiff?.lines == ["final_price: 90 → 95"])
            #expect(yamlRun.build == nil)
            print(
                "e2e watch: task edit → result in \(WatchRenderer.text(editLatency)); flow.yaml edit → result in \(WatchRenderer.text(yamlLatency))"
            )
        }
    }
}
