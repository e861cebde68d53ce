import FlowSQLite
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@testable import FlowDevelopment

/// `flowlang serve --database-url` (`DATABASE_URL`): where execution records are kept.
@Suite(.timeLimit(.minutes(2)))
struct ServeExecutionStoreTests {
    static func databasePath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("flowlang-cli-\(UUID().uuidString)/executions.db").path
    }

    @Test func executionRecordsInSQLiteOutliveTheServer() async throws {
        let url = "sqlite://" + Self.databasePath()
        let (first, port) = try await ServeTraceLogTests.start(["Examples/flows/hello_world", "--database-url", url])
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)/flows/HelloWorld/execute")))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"inputs":{"user_name":"Ann"}}"#.utf8)
        let (body, _) = try await URLSession.shared.data(for: request)
        let executionId = try #require((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["execution_id"] as? String)
        first.process.send(SIGTERM)
        _ = await first.process.waitForExit()

        let (second, secondPort) = try await ServeTraceLogTests.start(["Examples/flows/hello_world", "--database-url", url])
        defer { second.stop() }
        let statusURL = try #require(URL(string: "http://127.0.0.1:\(secondPort)/flows/HelloWorld/executions/\(executionId)"))
        let (status, response) = try await URLSession.shared.data(from: statusURL)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let record = try #require(try JSONSerialization.jsonObject(with: status) as? [String: Any])
        #expect(record["status"] as? String == "completed")
        #expect((record["result"] as? [String: Any])?["success"] as? Bool == true)
    }

    @Test func aDatabaseAnotherServerHoldsStopsTheStartNamingIt() async throws {
        let path = Self.databasePath()
        let holder = try SQLiteExecutionStore(path: path)
        let run = try await ServeConfigurationTests.serve(["Examples/flows", "--database-url", "sqlite://" + path])
        #expect(run.status == 2)
        #expect(run.output.contains("error: DATABASE_URL: the execution store \(path) is in use by another FlowLang server"))
        _ = holder
    }

    @Test(arguments: [
        ("mysql://db/flows", "error: DATABASE_URL: 'mysql' is not a supported store (sqlite://PATH, postgres://…, or memory:)"),
        ("sqlite://", "error: DATABASE_URL: 'sqlite://' names no file (e.g. sqlite:///var/lib/flowlang/executions.db)"),
    ])
    func anUnusableDatabaseURLStopsTheStartWithExitTwo(url: String, message: String) async throws {
        let run = try await ServeConfigurationTests.serve(["Examples/flows", "--database-url", url])
        #expect(run.status == 2)
        #expect(run.output.trimmingCharacters(in: .whitespacesAndNewlines) == message)
    }

    @Test func memoryIsAcceptedAsAStore() async throws {
        let run = try await ServeConfigurationTests.serve(["Examples/flows", "--database-url", "memory:", "--print-config"])
        #expect(run.status == 0)
        #expect(run.output.contains("DATABASE_URL=memory:"))
    }
}
