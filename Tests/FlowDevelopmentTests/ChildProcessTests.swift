import Foundation
import Synchronization
import Testing

@testable import FlowDevelopment

/// Running a program to its end with its two output streams kept apart (watch reads a run's result from
/// standard output and its complaints from standard error), and how a missing program, a cancelled caller and a
/// chatty program are handled.
@Suite("Running a program to completion", .timeLimit(.minutes(1)))
struct ChildProcessTests {
    static func shell(_ script: String, in directory: String? = nil) -> ProcessCommand {
        ProcessCommand(executable: "/bin/sh", arguments: ["-c", script], workingDirectory: directory)
    }

    @Test func standardOutputAndErrorAreKeptApartWithTheExitStatus() async throws {
        let finished = try await ChildProcess.run(
            ProcessCommand(
                executable: "sh",
                arguments: ["-c", "echo result; echo complaint >&2; exit 3"],
                workingDirectory: NSTemporaryDirectory()
            )
        )
        #expect(finished.status == 3)
        #expect(finished.exit == .exited(3))
        #expect(finished.standardOutput == "result\n")
        #expect(finished.standardError == "complaint\n")
        #expect(finished.output == "result\ncomplaint\n")
    }

    @Test func itRunsInTheGivenDirectory() async throws {
        let directory = try makeWatchDirectory("child-process")
        let finished = try await ChildProcess.run(ProcessCommand(executable: "/bin/pwd", workingDirectory: directory))
        #expect(finished.status == 0)
        let printed = URL(fileURLWithPath: finished.standardOutput.trimmingCharacters(in: .newlines))
        #expect(printed.resolvingSymlinksInPath() == URL(fileURLWithPath: directory).resolvingSymlinksInPath())
    }

    @Test func itGetsTheGivenEnvironmentOnly() async throws {
        let finished = try await ChildProcess.run(
            ProcessCommand(
                executable: "sh", arguments: ["-c", "echo $FLOWLANG_PROBE; echo ${HOME:-none}"],
                environment: ["FLOWLANG_PROBE": "set", "PATH": "/usr/bin:/bin"]))
        #expect(finished.standardOutput == "set\nnone\n")
    }

    @Test func aMissingProgramGivesAClearError() async throws {
        await #expect(throws: ChildProcessError.programNotFound("flowlang-no-such-program")) {
            try await ChildProcess.run(ProcessCommand(executable: "flowlang-no-such-program"))
        }
        #expect(
            "\(ChildProcessError.programNotFound("flowlang-no-such-program"))"
                == "flowlang-no-such-program is not on PATH")
    }

    @Test func aMissingExecutablePathGivesAClearError() async throws {
        let error = await #expect(throws: ChildProcessError.self) {
            try await ChildProcess.run(ProcessCommand(executable: "/nonexistent/flowlang-server"))
        }
        #expect(error?.code == .programNotFound)
        #expect(error?.message == "cannot start /nonexistent/flowlang-server: no such executable")
    }

    @Test func aMissingWorkingDirectoryGivesAClearError() async throws {
        let error = await #expect(throws: ChildProcessError.self) {
            try await ChildProcess.run(Self.shell("true", in: "/nonexistent/flowlang-package"))
        }
        #expect(error?.code == .noDirectory)
        #expect(error?.message == "cannot start /bin/sh: no directory /nonexistent/flowlang-package")
    }

    @Test func doctorsProbeReportsAMissingProgramAsNotInstalled() async {
        #expect(await DoctorProbes.live.run("flowlang-no-such-program", [], nil) == nil)
    }

    @Test func cancellingTheCallerStopsTheProgram() async throws {
        let task = Task {
            try await ChildProcess.run(ProcessCommand(executable: "sleep", arguments: ["600"], workingDirectory: "/"))
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test func cancellingARunningChildEndsItAndItsChildren() async throws {
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        // The shell prints its own pid, then the pid of a program it started, and waits for it.
        let task = Task {
            try await ChildProcess.run(Self.shell("echo $$; sleep 600 & echo $!; wait")) { continuation.yield($0) }
        }
        var printed = lines.makeAsyncIterator()
        let child = try #require(await printed.next().flatMap { Int32($0) })
        let grandchild = try #require(await printed.next().flatMap { Int32($0) })
        #expect(ProcessState.isRunning(child))
        #expect(ProcessState.isRunning(grandchild))

        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(!ProcessState.isRunning(child))
        #expect(await ProcessState.ends(grandchild))
    }

    @Test func aChildStartsWithNoBlockedSignalsInAProcessGroupOfItsOwn() async throws {
        // awk is the child itself: its pid (field 1 of its stat) is its process group's id (field 5).
        let stat = try await ChildProcess.run(
            ProcessCommand(executable: "awk", arguments: ["{ print $1, $5 }", "/proc/self/stat"]))
        let ids = stat.standardOutput.split(whereSeparator: \.isWhitespace)
        #expect(ids.count == 2 && ids[0] == ids[1], "pid and process group: \(stat.standardOutput)")
        // Swift's concurrency threads block SIGTERM; the child must not inherit that.
        let status = try await ChildProcess.run(
            ProcessCommand(executable: "grep", arguments: ["SigBlk", "/proc/self/status"]))
        #expect(status.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "SigBlk:\t0000000000000000")
    }

    @Test func aChattyProgramsOutputIsBoundedToItsLastBytes() async throws {
        let finished = try await ChildProcess.run(
            Self.shell("i=0; while [ $i -lt 2000 ]; do echo line-$i; i=$((i+1)); done; echo last"),
            outputLimit: 1000
        )
        #expect(finished.status == 0)
        #expect(finished.standardOutput.hasPrefix("[… "), "a note says that earlier bytes were not kept")
        #expect(finished.standardOutput.hasSuffix("line-1999\nlast\n"))
        #expect(finished.standardOutput.utf8.count < 1100)
    }

    @Test func everyLineOfBothStreamsIsHeardAsItIsPrinted() async throws {
        let heard = LockedLines()
        let finished = try await ChildProcess.run(Self.shell("echo one; echo two >&2; printf three")) {
            heard.append($0)
        }
        #expect(finished.status == 0)
        #expect(Set(heard.lines) == ["one", "two", "three"])
    }
}

/// Lines collected from a line handler.
final class LockedLines: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    func append(_ line: String) { storage.withLock { $0.append(line) } }
}

/// Whether a process runs, read from /proc (Linux).
enum ProcessState {
    /// True while `pid` exists and is not a zombie.
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }

    /// Waits until `pid` no longer runs; false if it still does after 10 s. A signal to a process group is sent
    /// at once, but a member ends when it is next scheduled, a moment later: this yields until then rather than
    /// sleeping for a guessed time.
    static func ends(_ pid: Int32) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(10))
        while isRunning(pid) {
            guard clock.now < deadline else { return false }
            await Task.yield()
        }
        return true
    }
}
