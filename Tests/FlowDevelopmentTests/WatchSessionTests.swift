import FlowCore
import FlowDevelopment
import Foundation
import Testing

/// Watch mode end to end on a flow-only directory: real files, real polling (20 ms), each step awaited through
/// the session's events. The suite's time limit is the failure guard.
@Suite("Watch session on a flow with built-in tasks", .timeLimit(.minutes(1)))
struct WatchSessionTests {
    static func flow(currency: String = "USD", extraOutput: Bool = false) -> String {
        """
        flow: Pricing
        inputs:
          - name: price
            type: number
            required: true
        steps:
          - task: Echo
            id: quote
            inputs:
              final_price: ${inputs.price}
              currency: \(currency)
        outputs:
          - name: final_price
            value: ${quote.final_price}
          - name: currency
            value: ${quote.currency}
        \(extraOutput ? "  - name: note\n    value: sale\n" : "")
        """
    }

    let root: String

    init() throws {
        root = try makeWatchDirectory("session")
        try writeFile(Self.flow(), to: "flow.yaml", in: root)
        try writeFile(#"{"price": 95}"#, to: "test_inputs.json", in: root)
    }

    func session(inputs: String? = nil) throws -> WatchSession {
        let package = try TaskPackage.locate(root)
        return try WatchSession(
            package: package,
            inputs: TestInputs(explicit: inputs, directory: package.directory),
            pollInterval: .milliseconds(20)
        )
    }

    @Test func editsToTheFlowAndTheInputsReRunWithAFieldLevelDiff() async throws {
        try await watch(try session()) { reports in
            let first = try await reports.next()
            guard case .ran(let summary, _, let diff) = first.outcome else { throw Unexpected(first) }
            #expect(summary.outputs == ["final_price": 95, "currency": "USD"])
            #expect(diff == nil)
            #expect(first.flowName == "Pricing")

            try writeFile(Self.flow(currency: "EUR", extraOutput: true), to: "flow.yaml", in: root)
            let second = try await reports.next()
            guard case .ran(_, _, let flowDiff) = second.outcome else { throw Unexpected(second) }
            #expect(flowDiff?.lines == [#"currency: "USD" → "EUR""#, #"+ note: "sale""#])

            try writeFile(#"{"price": 89.98}"#, to: "test_inputs.json", in: root)
            let third = try await reports.next()
            guard case .ran(_, _, let inputsDiff) = third.outcome else { throw Unexpected(third) }
            #expect(inputsDiff?.lines == ["final_price: 95 → 89.98"])
            let printed = WatchRenderer.render(third)
            #expect(printed.contains("✓ 'Pricing' completed in"))
            #expect(printed.contains("    final_price: 95 → 89.98"))
        }
    }

    @Test func editsToASubflowInAFolderBesideTheFlowReRun() async throws {
        try FileManager.default.createDirectory(atPath: root + "/discount", withIntermediateDirectories: true)
        try writeFile(Self.discount(percent: 10), to: "discount/flow.yaml", in: root)
        try writeFile(
            """
            flow: Checkout
            steps:
              - subflow: discount
                id: discount
            outputs:
              - name: percent
                value: ${discount.percent}
            """,
            to: "flow.yaml",
            in: root
        )
        try await watch(try session()) { reports in
            let first = try await reports.next()
            guard case .ran(let summary, _, _) = first.outcome else { throw Unexpected(first) }
            #expect(summary.outputs == ["percent": 10])

            try writeFile(Self.discount(percent: 15), to: "discount/flow.yaml", in: root)
            let second = try await reports.next()
            guard case .ran(_, _, let diff) = second.outcome else { throw Unexpected(second) }
            #expect(diff?.lines == ["percent: 10 → 15"])
        }
    }

    static func discount(percent: Int) -> String {
        """
        flow: Discount
        steps:
          - task: Echo
            id: rate
            inputs: {percent: \(percent)}
        outputs:
          - name: percent
            value: ${rate.percent}
        """
    }

    @Test func aFlowOnItsOwnCanUseTheHTTPRequestTask() async throws {
        // No URL: the task itself refuses its inputs, which shows it is registered without any network.
        try writeFile(
            "flow: Fetch\nsteps:\n  - task: HttpRequest\n    id: fetch\n    inputs: {method: GET}\n", to: "flow.yaml",
            in: root)
        try await watch(try session()) { reports in
            let report = try await reports.next()
            guard case .ran(let summary, _, _) = report.outcome else { throw Unexpected(report) }
            #expect(summary.status == .failed)
            #expect(summary.failedStep == "fetch")
            #expect(WatchRenderer.render(report).contains("HttpRequest:"), "\(WatchRenderer.render(report))")
        }
    }

    @Test func brokenYAMLShowsDiagnosticsAndTheFixRunsAgainstTheLastGoodRun() async throws {
        try await watch(try session()) { reports in
            _ = try await reports.next()

            try writeFile(
                Self.flow().replacingOccurrences(of: "    inputs:\n      final", with: "    inptus:\n      final"),
                to: "flow.yaml", in: root)
            let broken = try await reports.next()
            guard case .invalidFlow(let diagnostics) = broken.outcome else { throw Unexpected(broken) }
            #expect(
                diagnostics.contains { $0.contains("flow.yaml:9:5: error: unknown key 'inptus'") }, "\(diagnostics)")
            #expect(WatchRenderer.render(broken).contains("still watching"))

            try writeFile(Self.flow(currency: "NZD"), to: "flow.yaml", in: root)
            let fixed = try await reports.next()
            guard case .ran(let summary, _, let diff) = fixed.outcome else { throw Unexpected(fixed) }
            #expect(summary.isSuccess)
            #expect(diff?.lines == [#"currency: "USD" → "NZD""#])
        }
    }

    @Test func inputsThatStopFittingTheFlowAreReportedAndWatchingGoesOn() async throws {
        try await watch(try session()) { reports in
            _ = try await reports.next()

            try writeFile(#"{"price": "#, to: "test_inputs.json", in: root)
            let badJSON = try await reports.next()
            guard case .invalidInputs(let problems) = badJSON.outcome else { throw Unexpected(badJSON) }
            #expect(problems.first?.contains("test_inputs.json:1:11: invalid JSON") == true, "\(problems)")

            try writeFile(#"{"price": "cheap"}"#, to: "test_inputs.json", in: root)
            let wrongType = try await reports.next()
            guard case .invalidInputs(let typeProblems) = wrongType.outcome else { throw Unexpected(wrongType) }
            #expect(typeProblems.first?.contains("input 'price'") == true, "\(typeProblems)")

            try writeFile(#"{"price": 95}"#, to: "test_inputs.json", in: root)
            let back = try await reports.next()
            guard case .ran(_, _, let diff) = back.outcome else { throw Unexpected(back) }
            #expect(diff?.isEmpty == true)
        }
    }

    @Test func failingFlowIsReportedAsAFailureWithItsStep() async throws {
        try writeFile(
            "flow: Broken\nsteps:\n  - task: Fail\n    id: charge\n    inputs:\n      message: card declined\n",
            to: "flow.yaml",
            in: root
        )
        try await watch(try session()) { reports in
            let report = try await reports.next()
            guard case .ran(let summary, _, _) = report.outcome else { throw Unexpected(report) }
            #expect(summary.status == .failed)
            #expect(summary.failedStep == "charge")
            #expect(WatchRenderer.render(report).hasPrefix("✗ 'Broken' failed at step 'charge'"))
        }
    }

    @Test func unusableTestInputsAreNamedBeforeWatchingStarts() throws {
        try writeFile("[1, 2]", to: "list.json", in: root)
        try writeFile("{\n  \"price\": 95,\n}", to: "trailing.json", in: root)
        let notObject = #expect(throws: TestInputsError.self) { try session(inputs: root + "/list.json") }
        #expect(
            notObject?.message
                == "\(root)/list.json: the test inputs must be a JSON object such as {\"name\": \"Alice\"}, not an array"
        )
        let badJSON = #expect(throws: TestInputsError.self) { try session(inputs: root + "/trailing.json") }
        #expect(
            badJSON?.message.hasPrefix("\(root)/trailing.json:3:1: invalid JSON in the test inputs") == true,
            "\(badJSON?.message ?? "")")
        let missing = #expect(throws: TestInputsError.self) { try session(inputs: root + "/absent.json") }
        #expect(missing?.message == "\(root)/absent.json: cannot read the test inputs file: no such file")
    }

    @Test func withoutAnInputsFileTheFlowRunsWithEmptyInputs() async throws {
        try FileManager.default.removeItem(atPath: root + "/test_inputs.json")
        try writeFile(
            "flow: Empty\nsteps:\n  - task: Echo\n    id: e\n    inputs: {a: 1}\noutputs:\n  - name: a\n    value: ${e.a}\n",
            to: "flow.yaml", in: root)
        try await watch(try session()) { reports in
            let report = try await reports.next()
            guard case .ran(let summary, _, _) = report.outcome else { throw Unexpected(report) }
            #expect(summary.outputs == ["a": 1])
        }
    }
}

struct Unexpected: Error, CustomStringConvertible {
    var report: WatchReport
    init(_ report: WatchReport) { self.report = report }
    var description: String { "unexpected report:\n" + WatchRenderer.render(report) }
}

/// The reports of a running session, one at a time.
struct WatchReports {
    var iterator: AsyncStream<WatchEvent>.Iterator

    /// The next finished round, skipping the other events.
    mutating func next() async throws -> WatchReport {
        while let event = await iterator.next() {
            if case .finished(let report) = event { return report }
        }
        throw WatchTimeout(what: "a report: the session ended")
    }
}

/// Runs `session` while `body` reads its reports, then stops it.
func watch(_ session: WatchSession, _ body: (inout WatchReports) async throws -> Void) async throws {
    let (events, continuation) = AsyncStream<WatchEvent>.makeStream()
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            await session.run { continuation.yield($0) }
            continuation.finish()
        }
        var reports = WatchReports(iterator: events.makeAsyncIterator())
        defer { group.cancelAll() }
        try await body(&reports)
    }
}
