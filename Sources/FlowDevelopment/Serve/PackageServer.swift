import ServiceLifecycle

/// `flowlang serve DIR` for a task package: builds its server, runs it as a child process and, with reload,
/// rebuilds on every Swift change and restarts the child when the build succeeds (SIGTERM, then SIGKILL after
/// the grace period). A failed rebuild prints its errors and leaves the running server alone; YAML edits are the
/// child's own business (it runs with `--reload`). Graceful shutdown (SIGINT, SIGTERM) stops the child.
///
/// The build, the change stream and the child's command are injected, so tests drive it without compiling.
package struct PackageServer<C: Clock>: Service where C.Duration == Duration {
    /// Builds the server product, calling `progress` with the elapsed time while it runs.
    package typealias Build = @Sendable (_ progress: @escaping @Sendable (Duration) -> Void) async -> BuildOutcome

    package var name: String
    package var command: ProcessCommand
    package var build: Build
    /// Batches of changed Swift files (a ``FileWatcher``'s); `nil` serves without reloading.
    package var changes: AsyncStream<FileChanges>?
    package var output: ProcessOutput
    package var gracePeriod: Duration
    package var clock: C
    /// Where status lines go (`flowlang serve` prints them).
    package var log: @Sendable (String) -> Void

    package init(
        name: String,
        command: ProcessCommand,
        build: @escaping Build,
        changes: AsyncStream<FileChanges>?,
        output: ProcessOutput = .inherit,
        gracePeriod: Duration = .seconds(5),
        clock: C,
        log: @escaping @Sendable (String) -> Void
    ) {
        self.name = name
        self.command = command
        self.build = build
        self.changes = changes
        self.output = output
        self.gracePeriod = gracePeriod
        self.clock = clock
        self.log = log
    }

    private enum Event: Sendable {
        case changed(FileChanges)
        case exited(ProcessExit, generation: Int)
    }

    /// Serves until graceful shutdown or cancellation; throws ``PackageServerError`` when the first build fails
    /// without reload, or the server cannot start.
    package func run() async throws {
        let supervisor = ProcessSupervisor(command: command, output: output, gracePeriod: gracePeriod, clock: clock)
        var failure: (any Error)?
        do {
            try await cancelWhenGracefulShutdown { try await serve(supervisor) }
        } catch is CancellationError {
        } catch {
            failure = error
        }
        if await supervisor.processIdentifier != nil, let exit = await supervisor.stop() {
            log("stopped \(name) (\(exit))")
        }
        if let failure { throw failure }
    }

    private func serve(_ supervisor: ProcessSupervisor<C>) async throws {
        let reloading = changes != nil
        let first = await buildLogged(reason: "building \(name)")
        if !first.succeeded, !reloading {
            throw PackageServerError("\(name) does not build:\n" + first.diagnostics.joined(separator: "\n"))
        }
        let (events, sink) = AsyncStream.makeStream(of: Event.self)
        try await withThrowingDiscardingTaskGroup { group in
            if let changes {
                group.addTask {
                    for await batch in changes { sink.yield(.changed(batch)) }
                    sink.finish()
                }
            }
            var generation = 0
            func startServer() async throws {
                do {
                    try await supervisor.start()
                } catch {
                    throw PackageServerError("cannot start \(name): \(error.message)")
                }
                generation += 1
                let started = generation
                log("started \(name) (pid \(await supervisor.processIdentifier.map(String.init) ?? "?")): \(command)")
                group.addTask {
                    if let exit = await supervisor.waitForExit() { sink.yield(.exited(exit, generation: started)) }
                }
            }
            if first.succeeded {
                try await startServer()
            } else {
                log("waiting for a Swift change to build again")
            }
            for await event in events {
                switch event {
                case .exited(let exit, let exitedGeneration):
                    guard exitedGeneration == generation else { continue }
                    guard reloading else { throw PackageServerError("\(name) \(exit)") }
                    log("\(name) \(exit); it restarts after the next Swift change that builds")
                case .changed(let files):
                    let result = await buildLogged(reason: "changed: \(Self.summary(files.all)); rebuilding \(name)")
                    guard result.succeeded else {
                        log(
                            await supervisor.processIdentifier == nil
                                ? "not started" : "the running server is unchanged")
                        continue
                    }
                    if let previous = await supervisor.stop() { log("stopped the previous \(name) (\(previous))") }
                    try await startServer()
                }
            }
            group.cancelAll()
        }
    }

    /// Builds with a progress line whenever the build reports one, then a result line (and errors).
    private func buildLogged(reason: String) async -> BuildOutcome {
        log(reason + "…")
        let log = self.log
        let result = await build { elapsed in log("  still building… \(ElapsedTime.format(elapsed))") }
        if result.succeeded {
            log("built \(name) in \(ElapsedTime.format(result.duration))")
        } else {
            log("build failed after \(ElapsedTime.format(result.duration)):")
            for line in result.diagnostics { log("  " + line) }
        }
        return result
    }

    static func summary(_ files: [String]) -> String {
        let names = files.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        return names.prefix(3).joined(separator: ", ") + (names.count > 3 ? " and \(names.count - 3) more" : "")
    }
}

/// Why a package server stopped serving.
package struct PackageServerError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
