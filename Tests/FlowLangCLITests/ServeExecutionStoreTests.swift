import FlowSQLite
import Foundation
import Testing

@testable import FlowDevelopment

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `flowlang serve --database-url` (`DATABASE_URL`): where execution records are kept.
@Suite(.timeLimit(.minutes(2)))
struct ServeExecutionStoreTests {
    static func databasePath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("flowlang-cli-\(UUID().uuidString)/executions.db")
            .path
    }

    @Test func executionRecordsInSQLiteOutliveTheServer() async throws {
        let url = "sqlite://" + Self.databasePath()
        let (first, port) = try await ServeTraceLogTests.start(["Examples/flows/hello_world", "--database-url", url])
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)/flows/HelloWorld/execute")))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"inputs":{"user_name":"Ann"}}"#.utf8)
        let (body, _) = try await URLSession.shared.data(for: request)
        let executionId = try #require(
            (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["execution_id"] as? String)
        first.process.send(SIGTERM)
        _ = await first.process.waitForExit()

        let (second, secondPort) = try await ServeTraceLogTests.start([
            "Examples/flows/hello_world", "--database-url", url,
        ])
        defer { second.stop() }
        let statusURL = try #require(
            URL(string: "http://127.0.0.1:\(secondPort)/flows/HelloWorld/executions/\(executionId)"))
        let (status, response) = try await URLSession.shared.data(from: statusURL)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let record = try #require(try JSONSerialization.jsonObject(with: status) as? [String: Any])
        #expect(record["status"] as? String == "completed")
        #expect((record["result"] as? [String: Any])?["success"] as? Bool == true)
    }

    @Test func withoutADatabaseURLRecordsAreKeptInSQLiteBesideTheFlowsAndOutliveTheServer() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "flowlang-default-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let flows = directory.appendingPathComponent("hello_world")
        try FileManager.default.copyItem(
            at: CommandLineTests.packageRoot.appendingPathComponent("Examples/flows/hello_world"), to: flows)
        // An empty DATABASE_URL counts as unset.
        let (first, port) = try await ServeTraceLogTests.start([flows.path], environment: ["DATABASE_URL": ""])
        let executionId = try await Self.execute(port: port)
        first.process.send(SIGTERM)
        _ = await first.process.waitForExit()
        #expect(
            FileManager.default.fileExists(atPath: flows.appendingPathComponent(".flowlang/executions.sqlite").path))

        let (second, secondPort) = try await ServeTraceLogTests.start([flows.path], environment: ["DATABASE_URL": ""])
        defer { second.stop() }
        let statusURL = try #require(
            URL(string: "http://127.0.0.1:\(secondPort)/flows/HelloWorld/executions/\(executionId)"))
        let (status, _) = try await URLSession.shared.data(from: statusURL)
        let record = try #require(try JSONSerialization.jsonObject(with: status) as? [String: Any])
        #expect(record["status"] as? String == "completed")
    }

    /// Runs HelloWorld once on the server at `port`; returns its execution id.
    static func execute(port: String) async throws -> String {
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)/flows/HelloWorld/execute")))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"inputs":{"user_name":"Ann"}}"#.utf8)
        let (body, _) = try await URLSession.shared.data(for: request)
        return try #require(
            (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["execution_id"] as? String)
    }

    @Test func aDatabaseAnotherServerHoldsStopsTheStartNamingIt() async throws {
        let path = Self.databasePath()
        let holder = try SQLiteExecutionStore(path: path)
        let run = try await ServeConfigurationTests.serve(["Examples/flows", "--database-url", "sqlite://" + path])
        #expect(run.status == 2)
        #expect(
            run.output.contains("error: DATABASE_URL: the execution store \(path) is in use by another FlowLang server")
        )
        _ = holder
    }

    @Test(arguments: [
        (
            "mysql://db/flows",
            "error: DATABASE_URL: 'mysql' is not a supported store (sqlite://PATH, postgres://…, or memory:)"
        ),
        ("sqlite://", "error: DATABASE_URL: 'sqlite://' names no file (e.g. sqlite:///var/lib/flowlang/executions.db)"),
    ])
    func anUnusableDatabaseURLStopsTheStartWithExitTwo(url: String, message: String) async throws {
        let run = try await ServeConfigurationTests.serve(["Examples/flows", "--database-url", url])
        #expect(run.status == 2)
        #expect(run.output.trimmingCharacters(in: .whitespacesAndNewlines) == message)
    }

    @Test(
        .enabled(if: Self.postgresURL != nil, "set FLOWLANG_TEST_POSTGRES_URL (scripts/postgres-test-server.sh start)"))
    func executionRecordsInPostgreSQLAreSeenByAnotherServer() async throws {
        let url = try #require(Self.postgresURL) + "?schema=cli_" + UUID().uuidString.prefix(8).lowercased()
        let (first, port) = try await ServeTraceLogTests.start(["Examples/flows/hello_world", "--database-url", url])
        defer { first.stop() }
        let executionId = try await Self.execute(port: port)
        let (second, secondPort) = try await ServeTraceLogTests.start([
            "Examples/flows/hello_world", "--database-url", url,
        ])
        defer { second.stop() }
        let statusURL = try #require(
            URL(string: "http://127.0.0.1:\(secondPort)/flows/HelloWorld/executions/\(executionId)"))
        let (status, _) = try await URLSession.shared.data(from: statusURL)
        let record = try #require(try JSONSerialization.jsonObject(with: status) as? [String: Any])
        #expect(record["status"] as? String == "completed")
    }

    static let postgresURL = ProcessInfo.processInfo.environment["FLOWLANG_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    @Test func anUnreachablePostgreSQLStopsTheStartNamingItWithoutItsPassword() async throws {
        let run = try await ServeConfigurationTests.serve([
            "Examples/flows", "--database-url", "postgres://flow:s3cret@127.0.0.1:1/flows",
        ])
        #expect(run.status == 2)
        #expect(
            run.output.contains(
                "error: DATABASE_URL: cannot reach the execution store postgres://flow:****@127.0.0.1:1/flows: connection refused"
            ))
        #expect(!run.output.contains("s3cret"))
    }

    @Test func multiRefusesOneSQLiteFileForEveryPackageServer() async throws {
        let run = try await ServeConfigurationTests.serve([
            "Examples", "--multi", "--database-url", "sqlite:///tmp/shared.db",
        ])
        #expect(run.status == 2)
        #expect(
            run.output.contains(
                "error: DATABASE_URL: --multi runs a server for each package, and an SQLite file serves one server"))
    }

    @Test func memoryIsAcceptedAsAStore() async throws {
        let run = try await ServeConfigurationTests.serve([
            "Examples/flows", "--database-url", "memory:", "--print-config",
        ])
        #expect(run.status == 0)
        #expect(run.output.contains("DATABASE_URL=memory:"))
    }
}
