import FlowDevelopment
import FlowTesting
import Foundation
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// The package server's loop with a scripted build and a `/bin/sh` child standing in for the compiled server:
/// every step waits for a line the server or the child prints, never for time.
@Suite("Serving a task package", .timeLimit(.minutes(1)))
struct ServePackageServerTests {
    /// Build results handed out in order; the last one repeats.
    actor BuildScript {
        var results: [BuildOutcome]
        var progress: [Duration]

        init(_ results: [BuildOutcome], progress: [Duration] = []) {
            self.results = results
            self.progress = progress
        }

        func next(_ report: @Sendable (Duration) -> Void) -> BuildOutcome {
            for elapsed in progress { report(elapsed) }
            return results.count > 1 ? results.removeFirst() : results[0]
        }
    }

    /// Every line the server logs or the child prints (prefixed `child: `), as a stream and a record.
    final class Lines: Sendable {
        let stream: AsyncStream<String>
        private let sink: AsyncStream<String>.Continuation
        private let record = Mutex<[String]>([])

        init() {
            (stream, sink) = AsyncStream.makeStream(of: String.self)
        }

        func add(_ line: String) {
            record.withLock { $0.append(line) }
            sink.yield(line)
        }

        var all: [String] { record.withLock { $0 } }
    }

    static let ok = BuildOutcome(succeeded: true, duration: .seconds(2), diagnostics: [], log: "")
    static let broken = BuildOutcome(
        succeeded: false, duration: .seconds(1), diagnostics: ["Charge.swift:3:5: error: cannot find 'x' in scope"],
        log: ""
    )

    static func server(
        lines: Lines,
        script: BuildScript,
        changes: AsyncStream<FileChanges>?,
        child: String = "echo serving $$; exec sleep 30"
    ) -> PackageServer<ManualClock> {
        PackageServer(
            name: "ShopServer",
            command: ProcessCommand(executable: "/bin/sh", arguments: ["-c", child]),
            build: { progress in await script.next(progress) },
            changes: changes,
            output: .lines { lines.add("child: " + $0) },
            gracePeriod: .seconds(5),
            clock: ManualClock(),
            log: { lines.add($0) }
        )
    }

    /// The next line starting with `prefix`.
    static func next(_ prefix: String, in iterator: inout AsyncStream<String>.Iterator) async throws -> String {
        while let line = await iterator.next() {
            if line.hasPrefix(prefix) { return line }
        }
        throw PackageServerError("the stream ended before a line starting with '\(prefix)'")
    }

    @Test func swiftChangeRebuildsAndRestartsTheServer() async throws {
        let lines = Lines()
        let (changes, changed) = AsyncStream.makeStream(of: FileChanges.self)
        let server = Self.server(lines: lines, script: BuildScript([Self.ok]), changes: changes)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup { group in
                group.addTask { try await server.run() }
                var iterator = lines.stream.makeAsyncIterator()
                let first = try await Self.next("child: serving", in: &iterator)
                changed.yield(FileChanges(modified: ["/p/Sources/ShopTasks/Tasks/Charge.swift"]))
                let second = try await Self.next("child: serving", in: &iterator)
                #expect(first != second)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        let log = lines.all
        #expect(log.contains("changed: Charge.swift; rebuilding ShopServer…"))
        #expect(log.contains("stopped the previous ShopServer (ended by signal \(SIGTERM))"))
        #expect(log.last == "stopped ShopServer (ended by signal \(SIGTERM))")
    }

    @Test func failedRebuildKeepsTheRunningServer() async throws {
        let lines = Lines()
        let (changes, changed) = AsyncStream.makeStream(of: FileChanges.self)
        let server = Self.server(lines: lines, script: BuildScript([Self.ok, Self.broken]), changes: changes)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup { group in
                group.addTask { try await server.run() }
                var iterator = lines.stream.makeAsyncIterator()
                _ = try await Self.next("child: serving", in: &iterator)
                changed.yield(FileChanges(modified: ["/p/Sources/ShopTasks/Tasks/Charge.swift"]))
                _ = try await Self.next("the running server is unchanged", in: &iterator)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        let log = lines.all
        #expect(log.filter { $0.hasPrefix("child: serving") }.count == 1)
        #expect(log.contains("  Charge.swift:3:5: error: cannot find 'x' in scope"))
        #expect(log.last == "stopped ShopServer (ended by signal \(SIGTERM))")
    }

    @Test func firstBuildFailureWithoutReloadIsAnErrorNamingTheProblem() async throws {
        let lines = Lines()
        let server = Self.server(lines: lines, script: BuildScript([Self.broken]), changes: nil)
        await #expect {
            try await server.run()
        } throws: { error in
            "\(error)".contains("ShopServer does not build") && "\(error)".contains("cannot find 'x' in scope")
        }
        #expect(!lines.all.contains { $0.hasPrefix("started") })
    }

    @Test func serverThatExitsWithoutReloadEndsTheServeWithItsStatus() async throws {
        let lines = Lines()
        let server = Self.server(lines: lines, script: BuildScript([Self.ok]), changes: nil, child: "exit 3")
        await #expect {
            try await server.run()
        } throws: { error in
            "\(error)" == "ShopServer exited with status 3"
        }
    }

    @Test func longBuildReportsElapsedTime() async throws {
        let lines = Lines()
        let script = BuildScript(
            [BuildOutcome(succeeded: true, duration: .seconds(75), diagnostics: [], log: "")], progress: [.seconds(12)])
        let server = Self.server(lines: lines, script: script, changes: nil, child: "exit 0")
        _ = try? await server.run()
        #expect(lines.all.contains("  still building… 12s"))
        #expect(lines.all.contains("built ShopServer in 1m 15s"))
    }

    @Test func elapsedTimeIsShortAndReadable() {
        #expect(ElapsedTime.format(.milliseconds(420)) == "0.4s")
        #expect(ElapsedTime.format(.seconds(42)) == "42s")
        #expect(ElapsedTime.format(.seconds(185)) == "3m 05s")
    }
}
