import FlowCore
import FlowTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import FlowServer

/// `--log-format json` (issue #7): one JSON object per line, carrying the execution's ids.
@Suite(.timeLimit(.minutes(1)))
struct JSONLogTests {
    /// Collects the lines a ``JSONLogHandler`` writes.
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])

        func logger(_ label: String = "flowlang", level: Logger.Level = .info) -> Logger {
            Logger(label: label) { label in
                JSONLogHandler(label: label, level: level) { [self] line in lines.withLock { $0.append(line) } }
            }
        }

        var all: [String] { lines.withLock { $0 } }

        func append(_ line: String) { lines.withLock { $0.append(line) } }

        /// Every line parsed as JSON; a line that does not parse fails the test.
        func parsed(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [FlowValue] {
            try all.map { line in
                #expect(!line.contains("\n"), sourceLocation: sourceLocation)
                return try FlowValue(json: line)
            }
        }
    }

    @Test func eachRecordIsOneJSONObjectWithTheFixedFieldsAndMetadata() throws {
        let lines = Lines()
        var logger = lines.logger("api")
        logger[metadataKey: "request"] = "r-1"
        logger.warning("slow \"call\"\nsecond line", metadata: ["ms": .stringConvertible(42), "tags": ["a", "b"]])

        let record = try #require(try lines.parsed().first)
        #expect(record.keys.prefix(4) == ["timestamp", "level", "message", "label"])
        #expect(record["level"] == "warning")
        #expect(record["message"] == "slow \"call\"\nsecond line")
        #expect(record["label"] == "api")
        #expect(record["request"] == "r-1")
        #expect(record["ms"] == "42")
        #expect(record["tags"] == ["a", "b"])
        let timestamp = try #require(record["timestamp"]?.stringValue)
        #expect(timestamp.count == "2026-11-27T10:00:00.123Z".count)
        #expect(timestamp.hasSuffix("Z"))
        #expect(ISO8601DateFormatter.withMilliseconds.date(from: timestamp) != nil)
    }

    @Test func metadataNeverOverwritesTheFixedFields() throws {
        let lines = Lines()
        lines.logger().info("real", metadata: ["message": "fake", "level": "fake"])
        let record = try #require(try lines.parsed().first)
        #expect(record["message"] == "real")
        #expect(record["level"] == "info")
        #expect(record["metadata.message"] == "fake")
        #expect(record["metadata.level"] == "fake")
    }

    @Test func theCallsMetadataWinsOverTheProvidersWhichWinsOverTheHandlersAndKeysAreSorted() throws {
        let lines = Lines()
        let provider = Logger.MetadataProvider { ["shared": "provider", "from_provider": "p"] }
        var logger = Logger(label: "api") { label in
            JSONLogHandler(label: label, metadataProvider: provider) { line in lines.append(line) }
        }
        logger[metadataKey: "shared"] = "handler"
        logger[metadataKey: "zeta"] = "h"
        logger.info("one", metadata: ["shared": "call", "alpha": "c"])
        logger.info("two")

        let records = try lines.parsed()
        #expect(records[0]["shared"] == "call")
        #expect(records[1]["shared"] == "provider")
        #expect(records[0].keys.dropFirst(4) == ["alpha", "from_provider", "shared", "zeta"])
        #expect(records[1].keys.dropFirst(4) == ["from_provider", "shared", "zeta"])
    }

    @Test(arguments: [
        (0, "1970-01-01T00:00:00.000Z"),
        (1_795_773_600.1239, "2026-11-27T10:00:00.123Z"),
        (951_782_399.9999, "2000-02-28T23:59:59.999Z"),
        (951_868_800, "2000-03-01T00:00:00.000Z"),
        (1_000_000_000.0505, "2001-09-09T01:46:40.050Z"),
    ])
    func timestampsAreUTCWithMillisecondsTruncated(secondsSince1970: Double, expected: String) throws {
        let handler = JSONLogHandler(label: "api") { _ in }
        let event = LogEvent(level: .info, message: "m", metadata: nil, source: nil, file: "", function: "", line: 0)
        let line = String(
            decoding: handler.line(for: event, at: Date(timeIntervalSince1970: secondsSince1970)), as: UTF8.self)
        #expect(try FlowValue(json: line)["timestamp"] == .string(expected))
    }

    @Test func recordsBelowTheLevelAreNotWritten() {
        let lines = Lines()
        let logger = lines.logger(level: .warning)
        logger.info("quiet")
        logger.error("loud")
        #expect(lines.all.count == 1)
    }

    @Test func taskLinesCarryTheExecutionFlowStepAndTaskIds() async throws {
        let lines = Lines()
        var registry = TaskRegistry()
        registry.register("Charge") { inputs, context in
            context.logger.info("charging card", metadata: ["amount": "42"])
            return ["charged": true]
        }
        let flow = try FlowLoader().load(
            yaml: """
                flow: Checkout
                steps:
                  - task: Charge
                    id: pay
                """
        )
        let executor = FlowExecutor(registry: registry, logger: lines.logger())
        let result = try await executor.execute(flow, inputs: [:])

        let record = try #require(try lines.parsed().first { $0["message"] == "charging card" })
        #expect(record["execution_id"] == .string(result.executionId.rawValue))
        #expect(record["flow"] == "Checkout")
        #expect(record["step_id"] == "pay")
        #expect(record["task"] == "Charge")
        #expect(record["attempt"] == "1")
        #expect(record["amount"] == "42")
    }

    @Test func serverExecutionLinesCarryTheIdTheResponseReports() async throws {
        let lines = Lines()
        var registry = TaskRegistry()
        registry.register("Charge") { _, context in
            context.logger.notice("charged")
            return [:]
        }
        let app = buildApplication(
            catalog: FlowCatalog(
                flow: try TestFlowServer.served(
                    "flow: Shop\nsteps:\n  - task: Charge\n    id: pay\n", registry: registry)
            ),
            configuration: TestFlowServer.configuration(),
            logger: lines.logger()
        )
        try await app.test(.router) { client in
            let response = try await client.executeFlow("Shop")
            let id = try #require(response.executionId)
            let record = try #require(try lines.parsed().first { $0["message"] == "charged" })
            #expect(record["execution_id"] == .string(id))
            #expect(record["flow"] == "Shop")
            #expect(record["step_id"] == "pay")
            #expect(record["task"] == "Charge")
        }
    }
}

extension ISO8601DateFormatter {
    static var withMilliseconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
