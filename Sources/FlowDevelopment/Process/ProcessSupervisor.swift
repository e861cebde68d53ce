#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs one child process at a time: starts it, stops it (SIGTERM to its process group, then SIGKILL once a grace
/// period has passed on `clock`) and restarts it. `flowlang serve` uses it for a task package's server, whose own
/// children end with it.
///
/// Stopping from a cancelled task sends SIGKILL at once: the grace period is a sleep, and a cancelled sleep ends
/// early. Graceful paths (a rebuild, SIGINT handled as graceful shutdown) stop from a live task.
package actor ProcessSupervisor<C: Clock> where C.Duration == Duration {
    package let command: ProcessCommand
    package let gracePeriod: Duration
    private let output: ProcessOutput
    private let clock: C
    private var child: RunningChild?

    package init(
        command: ProcessCommand, output: ProcessOutput = .inherit, gracePeriod: Duration = .seconds(5), clock: C
    ) {
        self.command = command
        self.output = output
        self.gracePeriod = gracePeriod
        self.clock = clock
    }

    /// The running child's process id; `nil` before `start` and after it ended.
    package var processIdentifier: Int32? {
        guard let child, child.exitIfEnded == nil else { return nil }
        return child.processIdentifier
    }

    /// Starts the child; throws when one is running already or the command cannot start.
    package func start() async throws(ChildProcessError) {
        if let child, child.exitIfEnded == nil {
            throw ChildProcessError(
                .running, "\(command.executable) is running already (pid \(child.processIdentifier))")
        }
        child = try await ChildProcess.start(command, output: output)
    }

    /// Waits for the current child to end by itself; `nil` when none was started or the calling task is
    /// cancelled.
    package func waitForExit() async -> ProcessExit? {
        guard let child else { return nil }
        return await child.waitForExitUnlessCancelled()
    }

    /// Stops the child: SIGTERM to its process group, and SIGKILL when it is still running after the grace period;
    /// then SIGKILL to any program it started that outlived it. Returns how it ended, or `nil` when there was none.
    @discardableResult
    package func stop() async -> ProcessExit? {
        guard let child else { return nil }
        self.child = nil
        if let exit = child.exitIfEnded {
            child.sendToLeftovers(SIGKILL)
            return exit
        }
        child.send(SIGTERM)
        let clock = self.clock
        let gracePeriod = self.gracePeriod
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = await child.waitForExit()
                return true
            }
            group.addTask {
                try? await clock.sleep(for: gracePeriod)
                return false
            }
            if await group.next() == false { child.send(SIGKILL) }
            group.cancelAll()
        }
        let exit = await child.waitForExit()
        child.sendToLeftovers(SIGKILL)
        return exit
    }

    /// Stops the running child (if any) and starts a new one; returns how the old one ended.
    @discardableResult
    package func restart() async throws(ChildProcessError) -> ProcessExit? {
        let exit = await stop()
        try await start()
        return exit
    }
}

extension ProcessSupervisor where C == ContinuousClock {
    package init(command: ProcessCommand, output: ProcessOutput = .inherit, gracePeriod: Duration = .seconds(5)) {
        self.init(command: command, output: output, gracePeriod: gracePeriod, clock: ContinuousClock())
    }
}
