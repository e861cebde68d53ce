import FlowCore
import FlowTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OrderedCollections
import Testing

@testable import FlowServer

/// The log lines of executions (issue #14): one line when an execution ends, a warning for each failed step
/// and retry, carrying ids and errors but never input values.
@Suite struct ExecutionLogTests {
    static let flow = """
        flow: Payments
        inputs:
          - name: card
            type: string
            required: true
        steps:
          - task: Charge
            id: charge
            inputs:
              card: ${inputs.card}
            retry:
              max_attempts: 2
              delay: 0
        outputs:
          - name: paid
            value: ${charge.paid}
        """

    /// Runs the flow once with `card`; Charge fails with a `CardDeclined` error when the card is "declined".
    static func run(card: String) async throws -> (ExecutionRecord, [FlowValue]) {
        let lines = JSONLogTests.Lines()
        var registry = TaskRegistry()
        registry.register("Charge") { inputs, _ in
            if inputs["card"]?.stringValue == "declined" { throw TaskError("card was declined", type: "CardDeclined") }
            return ["paid": true]
        }
        let served = try TestFlowServer.served(flow, registry: registry)
        let service = ExecutionService(
            store: MemoryExecutionStore(), logger: lines.logger("flowlang"), clock: ImmediateClock())
        let record = await service.execute(served, inputs: ["card": .string(card)], mode: .sync)
        return (record, try lines.parsed())
    }

    @Test func aFinishedExecutionLogsOneInfoLineWithItsIdsStatusDurationAndMode() async throws {
        let (record, lines) = try await Self.run(card: "4242-secret")
        let finished = lines.filter { $0["message"] == "execution finished" }
        #expect(finished.count == 1)
        let line = try #require(finished.first)
        #expect(line["level"] == "info")
        #expect(line["execution_id"] == .string(record.id.rawValue))
        #expect(line["flow"] == "Payments")
        #expect(line["status"] == "completed")
        #expect(line["mode"] == "sync")
        #expect(line["duration_ms"]?.stringValue.flatMap(Double.init) != nil)
        #expect(!lines.contains { $0.jsonText.contains("4242-secret") }, "input values are never logged")
    }

    @Test func aFailedExecutionLogsEachFailedAttemptAndTheFailureAsWarnings() async throws {
        let (record, lines) = try await Self.run(card: "declined")
        #expect(record.status == .failed)
        let retry = try #require(lines.first { $0["message"] == "step failed, retrying" })
        #expect(retry["level"] == "warning")
        #expect(retry["execution_id"] == .string(record.id.rawValue))
        #expect(retry["step_id"] == "charge")
        #expect(retry["task"] == "Charge")
        #expect(retry["attempt"] == "1")
        #expect(retry["error_type"] == "CardDeclined")
        #expect(retry["error"] == "card was declined")

        let step = try #require(lines.first { $0["message"] == "step failed" })
        #expect(step["attempts"] == "2")
        #expect(step["step_id"] == "charge")

        let failed = try #require(lines.first { $0["message"] == "execution failed" })
        #expect(failed["level"] == "warning")
        #expect(failed["execution_id"] == .string(record.id.rawValue))
        #expect(failed["flow"] == "Payments")
        #expect(failed["status"] == "failed")
        #expect(failed["failed_step"] == "charge")
        #expect(failed["error"] == "card was declined")
        #expect(!lines.contains { $0["message"] == "execution finished" })
    }
}

extension ExecutionLogTests {
    @Test(arguments: ["", "?wait=false"])
    func theRequestLogLineOfAnExecuteCarriesTheExecutionId(query: String) async throws {
        let lines = JSONLogTests.Lines()
        var registry = TaskRegistry()
        registry.register("Charge") { _, _ in ["paid": true] }
        var configuration = TestFlowServer.configuration()
        configuration.requestLogLevel = .info
        let app = buildApplication(
            catalog: FlowCatalog(flow: try TestFlowServer.served(Self.flow, registry: registry)),
            configuration: configuration,
            logger: lines.logger("flowlang")
        )
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/flows/Payments/execute" + query,
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"inputs":{"card":"4242"}}"#)
            )
            let id = try #require(response.headers[.executionId])
            _ = try await client.poll("/flows/Payments/executions/\(id)") { $0["status"] == "completed" }
            let parsed = try lines.parsed()
            let request = try #require(parsed.first { $0["message"] == "Request" && $0["hb.request.method"] == "POST" })
            #expect(request["execution_id"] == .string(id))
            let finished = try #require(parsed.first { $0["message"] == "execution finished" })
            #expect(finished["execution_id"] == .string(id))
        }
    }
}
