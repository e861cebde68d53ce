import Foundation
import Testing

@testable import FlowDevelopment

/// Servers killed with SIGKILL in the middle of their runs, each replaced by a new one on the same store (an SQLite
/// file, or a PostgreSQL schema): every run finishes with the result of an uninterrupted run, and no step runs twice
/// in one server's life (a step runs again only when the server running it was killed before it was journaled).
///
/// `FLOWLANG_CRASH_RUNS` (default 200) async runs of the 20-step `Effects` flow of `FlowCrashTestServer`;
/// `FLOWLANG_CRASH_KILLS` (default 10) kills, each after a random number of steps. On PostgreSQL the runs of a
/// killed server wait for its lease (1.5 s here) to run out before the next server claims them. Runs with
/// `FLOWLANG_CRASH_TESTS=1` (PostgreSQL also needs `FLOWLANG_TEST_POSTGRES_URL`), one store after the other and
/// alone: `scripts/test.sh` runs it after the rest, so that its servers have the machine to themselves.
@Suite(
    .enabled(if: ProcessInfo.processInfo.environment["FLOWLANG_CRASH_TESTS"] == "1", "set FLOWLANG_CRASH_TESTS=1"),
    .serialized,
    .timeLimit(.minutes(5))
)
struct CrashResumeTests {
    static let environment = ProcessInfo.processInfo.environment
    static let runs = environment["FLOWLANG_CRASH_RUNS"].flatMap(Int.init) ?? 200
    static let kills = environment["FLOWLANG_CRASH_KILLS"].flatMap(Int.init) ?? 10
    /// PostgreSQL's lease and sweep: short, so that a killed server's runs are claimed within two seconds.
    static let leaseOptions = ["--lease-ms", "1500", "--sweep-ms", "250"]

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

    @Test(arguments: CrashStore.available)
    func runsInterruptedByKilledServersResumeAndFinishWithTheResultsOfUninterruptedRuns(store: CrashStore) async throws
    {
        let started = ContinuousClock.now
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "flowlang-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try store.newDatabase(in: directory)
        let effects = directory.appendingPathComponent("effects.log").path
        let options = store == .postgres ? Self.leaseOptions : []
        // Runs are created more slowly on PostgreSQL: longer steps keep them in flight until the kills.
        let stepMilliseconds = store == .postgres ? 50 : 20

        var progress = Progress()
        var server = try await CrashServer.start(
            database: database, effects: effects, generation: 0, stepMilliseconds: stepMilliseconds, options: options
        )
        defer { server.process.send(SIGKILL) }
        let seeds = try await server.startRuns(1...Self.runs)
        var generation = 0
        let allSteps = Self.runs * 20
        // Kills land on average after a tenth of the steps, so ten of them come before the last step.
        let gap = max(1, allSteps / (5 * Self.kills))
        // The current server's lines read so far.
        var read = 0
        for _ in 0..<Self.kills where progress.steps.count < allSteps {
            let killAfter = progress.effects + Int.random(in: 1...gap)
            while progress.effects < killAfter, progress.steps.count < allSteps,
                let line = await server.output.line(at: read)
            {
                progress.read(line.text)
                read += 1
            }
            _ = await server.stop()
            while let line = await server.output.line(at: read) {
                progress.read(line.text)
                read += 1
            }
            generation += 1
            server = try await CrashServer.start(
                database: database, effects: effects, generation: generation, stepMilliseconds: stepMilliseconds,
                options: options
            )
            read = 0
        }
        try await server.expectCompleted(seeds)
        _ = await server.stop(with: SIGTERM)

        // Each line: execution, step path, attempt, server generation.
        let lines = try String(contentsOfFile: effects, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: " ")
        }
        var generationsByStep: [String: [Substring]] = [:]
        for fields in lines where fields.count == 4 {
            generationsByStep["\(fields[0]) \(fields[1])", default: []].append(fields[3])
        }
        #expect(generationsByStep.count == Self.runs * 20)
        let ranTwiceInOneServer = generationsByStep.filter { Set($0.value).count != $0.value.count }
        #expect(ranTwiceInOneServer.isEmpty)
        let reruns = lines.count - Self.runs * 20
        // A run re-runs at most the step it was in at each kill it lived through: those after its first step ran
        // and before its last one did.
        var runs: [Substring: (steps: Int, first: Int, last: Int)] = [:]
        for fields in lines where fields.count == 4 {
            let ranAt = try #require(Int(fields[3]))
            let run = runs[fields[0]] ?? (0, ranAt, ranAt)
            runs[fields[0]] = (run.steps + 1, min(run.first, ranAt), max(run.last, ranAt))
        }
        let beyondOnePerKill = runs.filter { $0.value.steps - 20 > $0.value.last - $0.value.first }
        #expect(beyondOnePerKill.isEmpty, "runs that re-ran more than one step per kill they were in flight at")
        #expect(generation == Self.kills)
        print(
            "crash test (\(store)): \(Self.runs) runs, \(generation) kills, \(reruns) steps run again, \(ContinuousClock.now - started)"
        )
    }
}
