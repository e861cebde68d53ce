import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@testable import FlowDevelopment

/// Servers killed with SIGKILL in the middle of their runs, each replaced by a new one on the same SQLite file:
/// every run finishes with the result of an uninterrupted run, and no step runs twice in one server's life (a
/// step runs again only when the server running it was killed before it was journaled).
///
/// `FLOWLANG_CRASH_RUNS` (default 200) async runs of the 20-step `Effects` flow of `FlowCrashTestServer`;
/// `FLOWLANG_CRASH_KILLS` (default 10) kills, each after a random number of steps. Runs with
/// `FLOWLANG_CRASH_TESTS=1`, alone: `scripts/test.sh` runs it after the rest, so that its servers have the
/// machine to themselves.
@Suite(
    .enabled(if: ProcessInfo.processInfo.environment["FLOWLANG_CRASH_TESTS"] == "1", "set FLOWLANG_CRASH_TESTS=1"),
    .timeLimit(.minutes(5))
)
struct CrashResumeTests {
    static let environment = ProcessInfo.processInfo.environment
    static let runs = environment["FLOWLANG_CRASH_RUNS"].flatMap(Int.init) ?? 200
    static let kills = environment["FLOWLANG_CRASH_KILLS"].flatMap(Int.init) ?? 10

    /// One `FlowCrashTestServer` process and the lines it writes, read by one test task.
    final class CrashServer {
        let process: SupervisedProcess
        let port: Int
        private var lines: AsyncStream<String>.Iterator

        init(database: String, effects: String, generation: Int) async throws {
            port = try await FreePort.find()
            let (lines, continuation) = AsyncStream.makeStream(of: String.self)
            self.lines = lines.makeAsyncIterator()
            let command = ProcessCommand(
                executable: try CommandLineTests.executable("FlowCrashTestServer").path,
                arguments: [
                    "--port", String(port), "--database", database, "--effects", effects, "--generation", String(generation), "--step-ms", "20",
                ],
                workingDirectory: FileManager.default.temporaryDirectory.path,
                environment: ProcessInfo.processInfo.environment
            )
            process = try SupervisedProcess.launch(command, output: .lines { continuation.yield($0) })
            Task { [process] in
                await process.waitForOutputEnd()
                continuation.finish()
            }
        }

        /// The next line, or nil once the process's output ended.
        func next() async -> String? {
            await lines.next(isolation: nil)
        }
    }

    /// Reads a server's lines, counting the steps that ran.
    struct Progress {
        var effects = 0
        /// Each step that ran, once: `execution path`.
        var steps = Set<Substring>()

        mutating func read(_ line: String) {
            let fields = line.split(separator: " ")
            guard fields.count == 5, fields[0] == "effect" else { return }
            effects += 1
            steps.insert(line.dropFirst("effect ".count).prefix { $0 != " " } + " " + fields[2])
        }
    }

    /// What the `Effects` flow's output is for `seed` when nothing interrupts it.
    static func expectedTotal(seed: Int) -> Int {
        (0..<20).reduce(seed) { total, add in (total * 3 + add) % 1_000_003 }
    }

    @Test func runsInterruptedByKilledServersResumeAndFinishWithTheResultsOfUninterruptedRuns() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowlang-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("executions.sqlite").path
        let effects = directory.appendingPathComponent("effects.log").path

        var progress = Progress()
        var server = try await started(database: database, effects: effects, generation: 0, progress: &progress)
        var seeds: [String: Int] = [:]
        for seed in 1...Self.runs {
            seeds[try await startRun(seed: seed, port: server.port)] = seed
        }
        var generation = 0
        let allSteps = Self.runs * 20
        // Kills land on average after a tenth of the steps, so ten of them come before the last step.
        let gap = max(1, allSteps / (5 * Self.kills))
        for _ in 0..<Self.kills where progress.steps.count < allSteps {
            let killAfter = progress.effects + Int.random(in: 1...gap)
            while progress.effects < killAfter, progress.steps.count < allSteps, let line = await server.next() {
                progress.read(line)
            }
            server.process.send(SIGKILL)
            _ = await server.process.waitForExit()
            while let line = await server.next() { progress.read(line) }
            generation += 1
            server = try await started(database: database, effects: effects, generation: generation, progress: &progress)
        }
        for (id, seed) in seeds {
            try await waitForEnd(of: id, port: server.port)
            let record = try await status(of: id, port: server.port)
            #expect(record["status"] as? String == "completed", "execution \(id): \(record["error"] ?? "")")
            let outputs = (record["result"] as? [String: Any])?["outputs"] as? [String: Any]
            #expect(outputs?["total"] as? Int == Self.expectedTotal(seed: seed), "execution \(id)")
        }
        server.process.send(SIGTERM)
        _ = await server.process.waitForExit()

        // Each line: execution, step path, attempt, server generation.
        let lines = try String(contentsOfFile: effects, encoding: .utf8).split(separator: "\n").map { $0.split(separator: " ") }
        var generationsByStep: [String: [Substring]] = [:]
        for fields in lines where fields.count == 4 {
            generationsByStep["\(fields[0]) \(fields[1])", default: []].append(fields[3])
        }
        #expect(generationsByStep.count == Self.runs * 20)
        let ranTwiceInOneServer = generationsByStep.filter { Set($0.value).count != $0.value.count }
        #expect(ranTwiceInOneServer.isEmpty)
        let reruns = lines.count - Self.runs * 20
        #expect(reruns <= generation * Self.runs, "at most one step of each run in flight at each kill")
        #expect(generation == Self.kills)
        print("crash test: \(Self.runs) runs, \(generation) kills, \(reruns) steps run again")
    }

    /// Starts a server, waiting for the line saying it listens; what it writes before is read into `progress`.
    ///
    /// A port found free may be taken by another test's connection before the server binds it: then that server
    /// is stopped, and another free port is tried (five at most).
    func started(database: String, effects: String, generation: Int, progress: inout Progress) async throws -> CrashServer {
        for _ in 1...5 {
            let server = try await CrashServer(database: database, effects: effects, generation: generation)
            while let line = await server.next() {
                if line.contains("listening on \(server.port)") { return server }
                if line.contains("Address already in use") { server.process.send(SIGKILL) }
                progress.read(line)
            }
            _ = await server.process.waitForExit()
        }
        Issue.record("FlowCrashTestServer ended five times before it listened")
        throw CancellationError()
    }

    /// Follows the events of execution `id` until the server closes them, which it does once the run ended.
    func waitForEnd(of id: String, port: Int) async throws {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/flows/Effects/executions/\(id)/events"))
        var request = URLRequest(url: url)
        request.timeoutInterval = 120
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
    }

    /// Starts an async run of `Effects`; returns its execution id.
    func startRun(seed: Int, port: Int) async throws -> String {
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)/flows/Effects/execute?wait=false")))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"inputs":{"seed":\#(seed)}}"#.utf8)
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 202)
        return try #require((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["execution_id"] as? String)
    }

    /// The status record of execution `id`.
    func status(of id: String, port: Int) async throws -> [String: Any] {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/flows/Effects/executions/\(id)"))
        let (body, _) = try await URLSession.shared.data(from: url)
        return try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    }
}
