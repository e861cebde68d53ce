import Foundation
import Synchronization
import Testing

@testable import FlowDevelopment

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Every line a process wrote, each with when it arrived, for any number of readers, each at its own place.
final class OutputLines: Sendable {
    struct Line: Sendable {
        var text: String
        var arrival: ContinuousClock.Instant
    }

    private struct State {
        var lines: [Line] = []
        var ended = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func append(_ text: String) {
        let line = Line(text: text, arrival: .now)
        for waiter in state.withLock({ state in
            state.lines.append(line)
            defer { state.waiters = [] }
            return state.waiters
        }) { waiter.resume() }
    }

    func finish() {
        for waiter in state.withLock({ state in
            state.ended = true
            defer { state.waiters = [] }
            return state.waiters
        }) { waiter.resume() }
    }

    /// Wakes every waiter, which then looks again (a cancelled one gives up).
    private func wakeWaiters() {
        for waiter in state.withLock({ state in
            defer { state.waiters = [] }
            return state.waiters
        }) { waiter.resume() }
    }

    /// The line at `index` (from 0), once written; nil when the output ended before it or the waiting task was
    /// cancelled (a test's time limit cancels it: a line that never comes fails the test instead of hanging it).
    func line(at index: Int) async -> Line? {
        while !Task.isCancelled {
            let seen: Line?? = state.withLock { state in
                index < state.lines.count ? .some(state.lines[index]) : state.ended ? .some(nil) : nil
            }
            if let seen { return seen }
            await withTaskCancellationHandler {
                await withCheckedContinuation { waiter in
                    state.withLock { state in
                        if index < state.lines.count || state.ended || Task.isCancelled {
                            waiter.resume()
                        } else {
                            state.waiters.append(waiter)
                        }
                    }
                }
            } onCancel: {
                wakeWaiters()
            }
        }
        return nil
    }

    /// The lines written so far.
    var lines: [Line] { state.withLock { $0.lines } }

    /// The `count`th line from `index` on that satisfies `predicate`; nil when the output ended before.
    func nth(_ count: Int, from index: Int = 0, where predicate: (String) -> Bool) async -> Line? {
        var (index, found) = (index, 0)
        while let line = await line(at: index) {
            if predicate(line.text) {
                found += 1
                if found == count { return line }
            }
            index += 1
        }
        return nil
    }

    /// The first line from `index` on that satisfies `predicate`; nil when the output ended without one.
    func first(from index: Int = 0, where predicate: (String) -> Bool) async -> Line? {
        var index = index
        while let line = await line(at: index) {
            if predicate(line.text) { return line }
            index += 1
        }
        return nil
    }
}

extension OutputLines.Line {
    /// The execution a log line names (`execution_id=…`).
    var executionId: String? {
        guard let label = text.range(of: "execution_id=") else { return nil }
        return String(text[label.upperBound...].prefix { $0 != " " })
    }
}

/// One `FlowCrashTestServer` process, listening, and the HTTP calls the crash tests make to it.
struct CrashServer: Sendable {
    let process: RunningChild
    let port: Int
    let output: OutputLines
    /// The server's `--generation`: its lines in the effects file, and its steps' outputs, carry it.
    let generation: Int

    /// Starts a server and waits for the line saying it listens.
    ///
    /// A port found free may be taken by another test's connection before the server binds it: then that server
    /// is stopped, and another free port is tried (five at most). `options` are further command-line options.
    static func start(
        database: String, effects: String, generation: Int, stepMilliseconds: Int = 20, options: [String] = []
    )
        async throws -> CrashServer
    {
        for _ in 1...5 {
            let port = try await FreePort.find()
            let output = OutputLines()
            let command = ProcessCommand(
                executable: try CommandLineTests.executable("FlowCrashTestServer").path,
                arguments: [
                    "--port", String(port), "--database", database, "--effects", effects, "--generation",
                    String(generation),
                    "--step-ms", String(stepMilliseconds),
                ] + options,
                workingDirectory: FileManager.default.temporaryDirectory.path,
                environment: ProcessInfo.processInfo.environment
            )
            let process = try await ChildProcess.start(command, output: .lines { output.append($0) })
            let server = CrashServer(process: process, port: port, output: output, generation: generation)
            let started = await output.first {
                $0.contains("listening on \(port)") || $0.contains("Address already in use")
            }
            if started?.text.contains("listening on") == true { return server }
            process.send(SIGKILL)
            _ = await process.waitForExit()
            output.finish()
        }
        Issue.record("FlowCrashTestServer ended five times before it listened")
        throw CancellationError()
    }

    /// Sends `signal` (SIGKILL, SIGTERM) and waits for the process to end and its last lines to be read.
    func stop(with signal: Int32 = SIGKILL) async -> ProcessExit {
        process.send(signal)
        let exit = await process.waitForExit()
        output.finish()
        return exit
    }

    /// What the `Effects` flow's output is for `seed` when nothing interrupts it.
    static func expectedTotal(seed: Int) -> Int {
        (0..<20).reduce(seed) { total, add in (total * 3 + add) % 1_000_003 }
    }

    /// Starts an async run of `Effects`; returns its execution id.
    func startRun(seed: Int) async throws -> String {
        var request = URLRequest(url: try url("/flows/Effects/execute?wait=false"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"inputs":{"seed":\#(seed)}}"#.utf8)
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 202)
        return try #require(
            (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["execution_id"] as? String)
    }

    /// Starts an async run for each seed, all at once; returns execution id to seed.
    func startRuns(_ seeds: ClosedRange<Int>) async throws -> [String: Int] {
        try await withThrowingTaskGroup(of: (String, Int).self) { group in
            for seed in seeds { group.addTask { (try await startRun(seed: seed), seed) } }
            return try await group.reduce(into: [:]) { runs, run in runs[run.0] = run.1 }
        }
    }

    /// Follows the events of execution `id` until the server closes them, which it does once the run ended;
    /// returns their names in order.
    @discardableResult
    func waitForEnd(of id: String) async throws -> [String] {
        var request = URLRequest(url: try url("/flows/Effects/executions/\(id)/events"))
        request.timeoutInterval = 120
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        return String(decoding: body, as: UTF8.self).split(separator: "\n").compactMap { line in
            line.hasPrefix("event: ") ? String(line.dropFirst("event: ".count)) : nil
        }
    }

    /// The status record of execution `id`.
    func status(of id: String) async throws -> [String: Any] {
        let (body, _) = try await URLSession.shared.data(from: try url("/flows/Effects/executions/\(id)"))
        return try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    }

    /// Asks for the cancellation of execution `id`; returns the HTTP status and the answer's `message`.
    func cancel(_ id: String) async throws -> (status: Int?, message: String?) {
        var request = URLRequest(url: try url("/flows/Effects/executions/\(id)/cancel"))
        request.httpMethod = "POST"
        let (body, response) = try await URLSession.shared.data(for: request)
        let answer = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        return ((response as? HTTPURLResponse)?.statusCode, answer?["message"] as? String)
    }

    /// Every execution of `seeds` (execution id: seed) ends, as the server says, `completed` with the output of an
    /// uninterrupted run of its seed, and its events end once (one terminal event).
    func expectCompleted(_ seeds: [String: Int]) async throws {
        for (id, seed) in seeds {
            let terminal = try await waitForEnd(of: id).filter {
                ["flow_completed", "flow_failed", "flow_cancelled"].contains($0)
            }
            #expect(terminal == ["flow_completed"], "execution \(id)")
            let record = try await status(of: id)
            #expect(record["status"] as? String == "completed", "execution \(id): \(record["error"] ?? "")")
            let outputs = (record["result"] as? [String: Any])?["outputs"] as? [String: Any]
            #expect(outputs?["total"] as? Int == Self.expectedTotal(seed: seed), "execution \(id)")
        }
    }

    private func url(_ path: String) throws -> URL {
        try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
    }
}

/// Where the crash tests keep their runs: an SQLite file in the test's directory, or a schema of its own on the
/// PostgreSQL of `FLOWLANG_TEST_POSTGRES_URL` (left behind: the test server is thrown away with its data).
enum CrashStore: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    static let postgresURL = ProcessInfo.processInfo.environment["FLOWLANG_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// SQLite, and PostgreSQL when a test server is configured.
    static var available: [CrashStore] { postgresURL == nil ? [.sqlite] : allCases }

    var testDescription: String { rawValue }

    /// The `--database` of a new store in `directory`.
    func newDatabase(in directory: URL) throws -> String {
        switch self {
        case .sqlite:
            return directory.appendingPathComponent("executions.sqlite").path
        case .postgres:
            let url = try #require(Self.postgresURL)
            let schema = "crash_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            return url + (url.contains("?") ? "&" : "?") + "schema=" + schema
        }
    }
}
