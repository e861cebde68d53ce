import Foundation
import Testing

@testable import FlowDevelopment

/// Running a program to its end with its two output streams kept apart (watch reads a run's result from
/// standard output and its complaints from standard error).
@Suite("Running a program to completion", .timeLimit(.minutes(1)))
struct ChildProcessTests {
    @Test func standardOutputAndErrorAreKeptApartWithTheExitStatus() async throws {
        let finished = try await ChildProcess(
            executable: "sh",
            arguments: ["-c", "echo result; echo complaint >&2; exit 3"],
            directory: NSTemporaryDirectory()
        ).run()
        #expect(finished.status == 3)
        #expect(finished.standardOutput == "result\n")
        #expect(finished.standardError == "complaint\n")
    }

    @Test func itRunsInTheGivenDirectory() async throws {
        let directory = try makeWatchDirectory("child-process")
        let finished = try await ChildProcess(executable: "/bin/pwd", arguments: [], directory: directory).run()
        #expect(finished.status == 0)
        let printed = URL(fileURLWithPath: finished.standardOutput.trimmingCharacters(in: .newlines))
        #expect(printed.resolvingSymlinksInPath() == URL(fileURLWithPath: directory).resolvingSymlinksInPath())
    }

    @Test func aProgramThatIsNotOnThePathFailsWithStatus127() async throws {
        let finished = try await ChildProcess(executable: "flowlang-no-such-program", arguments: [], directory: "/")
            .run()
        #expect(finished.status == 127)
    }

    @Test func cancellingTheCallerStopsTheProgram() async throws {
        let task = Task {
            try await ChildProcess(executable: "sleep", arguments: ["600"], directory: "/").run()
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
