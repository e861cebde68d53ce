import FlowDevelopment
import FlowTesting
import Foundation
import Testing

/// The process supervisor with real, short-lived `/bin/sh` children; time for the SIGKILL grace period comes
/// from a ManualClock, and every wait is on the child's own termination or output.
@Suite("Supervising a child process")
struct SupervisorTests {
    static func shell(_ script: String) -> ProcessCommand {
        ProcessCommand(executable: "/bin/sh", arguments: ["-c", script])
    }

    /// The child's output lines as a stream, and the output option feeding it.
    static func lineStream() -> (AsyncStream<String>, ProcessOutput) {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        return (stream, .lines { continuation.yield($0) })
    }

    @Test func childExitStatusIsReported() async throws {
        let supervisor = ProcessSupervisor(command: Self.shell("exit 3"), clock: ManualClock())
        try await supervisor.start()
        #expect(await supervisor.waitForExit() == .exited(3))
        #expect(await supervisor.processIdentifier == nil)
    }

    @Test func outputIsForwardedLineByLine() async throws {
        let (lines, output) = Self.lineStream()
        let supervisor = ProcessSupervisor(
            command: Self.shell("echo one; echo two >&2; printf three"), output: output, clock: ManualClock())
        try await supervisor.start()
        var received: [String] = []
        for await line in lines {
            received.append(line)
            if received.count == 3 { break }
        }
        #expect(received == ["one", "two", "three"])
        #expect(await supervisor.waitForExit() == .exited(0))
    }

    @Test func stopEndsAChildThatHonoursSIGTERMWithoutWaitingForTheGracePeriod() async throws {
        let clock = ManualClock()
        let supervisor = ProcessSupervisor(command: Self.shell("exec sleep 30"), gracePeriod: .seconds(5), clock: clock)
        try await supervisor.start()
        let exit = await supervisor.stop()
        #expect(exit == .signalled(SIGTERM))
        #expect(clock.now.offset == .zero)
    }

    @Test func stopEscalatesToSIGKILLOnceTheGracePeriodHasPassed() async throws {
        let clock = ManualClock()
        let (lines, output) = Self.lineStream()
        let supervisor = ProcessSupervisor(
            command: Self.shell(#"trap "" TERM; echo ready; exec sleep 30"#),
            output: output,
            gracePeriod: .seconds(5),
            clock: clock
        )
        try await supervisor.start()
        for await line in lines where line == "ready" { break }
        async let stopped = supervisor.stop()
        await clock.waitForSleepers(count: 1)
        #expect(clock.requestedSleeps == [.seconds(5)])
        clock.advance(by: .seconds(5))
        #expect(await stopped == .signalled(SIGKILL))
    }

    @Test func restartReplacesTheChildWithANewProcess() async throws {
        let supervisor = ProcessSupervisor(command: Self.shell("exec sleep 30"), clock: ManualClock())
        try await supervisor.start()
        let first = try #require(await supervisor.processIdentifier)
        let previous = try await supervisor.restart()
        let second = try #require(await supervisor.processIdentifier)
        #expect(previous == .signalled(SIGTERM))
        #expect(first != second)
        #expect(await supervisor.stop() == .signalled(SIGTERM))
    }

    @Test func startingTwiceIsRefused() async throws {
        let supervisor = ProcessSupervisor(command: Self.shell("exec sleep 30"), clock: ManualClock())
        try await supervisor.start()
        let error = await #expect(throws: ChildProcessError.self) { try await supervisor.start() }
        #expect(error?.code == .running)
        await supervisor.stop()
    }

    @Test func missingExecutableIsAClearError() async {
        let supervisor = ProcessSupervisor(
            command: ProcessCommand(executable: "/nonexistent/server"), clock: ManualClock())
        await #expect(throws: ChildProcessError.programNotFound("/nonexistent/server")) {
            try await supervisor.start()
        }
        #expect(
            "\(ChildProcessError.programNotFound("/nonexistent/server"))"
                == "cannot start /nonexistent/server: no such executable")
    }

    @Test func stoppingWithoutAChildReturnsNil() async {
        let supervisor = ProcessSupervisor(command: Self.shell("true"), clock: ManualClock())
        #expect(await supervisor.stop() == nil)
    }

    @Test func stopEndsTheProgramsTheChildStarted() async throws {
        let (lines, output) = Self.lineStream()
        let supervisor = ProcessSupervisor(
            command: Self.shell("sleep 30 & echo $!; wait"), output: output, gracePeriod: .seconds(5),
            clock: ManualClock())
        try await supervisor.start()
        var printed = lines.makeAsyncIterator()
        let grandchild = try #require(await printed.next().flatMap { Int32($0) })
        #expect(ProcessState.isRunning(grandchild))
        #expect(await supervisor.stop() == .signalled(SIGTERM))
        #expect(await ProcessState.ends(grandchild))
    }

    @Test func stopEndsAProgramTheChildStartedThatOutlivesIt() async throws {
        let (lines, output) = Self.lineStream()
        // The grandchild ignores SIGTERM, which ends the shell: SIGKILL to what is left of the group ends it.
        let supervisor = ProcessSupervisor(
            command: Self.shell(#"(trap "" TERM; exec sleep 30) & echo $!; wait"#), output: output,
            gracePeriod: .seconds(5), clock: ManualClock())
        try await supervisor.start()
        var printed = lines.makeAsyncIterator()
        let grandchild = try #require(await printed.next().flatMap { Int32($0) })
        #expect(await supervisor.stop() == .signalled(SIGTERM))
        #expect(await ProcessState.ends(grandchild))
    }
}
