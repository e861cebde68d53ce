// The one way FlowDevelopment runs programs, on swift-subprocess (swiftlang/swift-subprocess 1.0) rather than a
// launcher of our own, because it does everything `serve --reload`, `watch`, `doctor` and dependency resolution
// need:
// - its Linux spawn resets the child's signal mask and handlers (Swift's concurrency threads block SIGTERM, which a
//   child would otherwise inherit and never see);
// - `processGroupID = 0` starts the child in a process group of its own, so a signal to the group also reaches the
//   programs it starts (swift-frontend under `swift build`, a server's own children);
// - cancelling the task that runs it tears that group down: SIGTERM, then SIGKILL after a grace period;
// - it waits for exits and reads pipes on threads of its own (epoll on pidfds), never on the cooperative pool,
//   and hands output over as an async sequence.
// What it cannot do is time a grace period on an injected clock: ``ProcessSupervisor/stop()`` sends SIGTERM and
// SIGKILL itself, timed by its clock.
import Foundation
import Subprocess
import SystemPackage

/// Runs programs as child processes, each in a process group of its own: to their end with their output
/// collected (``run(_:outputLimit:onLine:)``), or started and left running (``start(_:output:)``).
///
/// ```swift
/// let result = try await ChildProcess.run(ProcessCommand(executable: "swift", arguments: ["--version"]))
/// print(result.status, result.standardOutput)
/// ```
package enum ChildProcess {
    /// How many bytes of each output stream ``run(_:outputLimit:onLine:)`` keeps by default (its last ones).
    package static let defaultOutputLimit = 8 << 20

    /// How long a cancelled run's process group has after SIGTERM before SIGKILL.
    package static let cancellationGracePeriod: Duration = .seconds(5)

    /// Runs `command` to its end; returns how it ended and the last `outputLimit` bytes of each output stream.
    /// `onLine`, when given, hears every line of either stream as it is printed.
    ///
    /// Cancelling the calling task ends the child and every program in its process group (SIGTERM, then SIGKILL
    /// after ``cancellationGracePeriod``), and then throws `CancellationError`.
    ///
    /// - Throws: ``ChildProcessError`` when the program cannot be started (``ChildProcessError/Code/programNotFound``
    ///   when it does not exist), or `CancellationError`.
    package static func run(
        _ command: ProcessCommand,
        outputLimit: Int = defaultOutputLimit,
        onLine: (@Sendable (String) -> Void)? = nil
    ) async throws -> CommandResult {
        try Task.checkCancellation()
        let configuration = try configuration(for: command)
        let result: ExecutionResult<CommandResult, SequenceOutput, SequenceOutput>
        do {
            result = try await Subprocess.run(configuration, input: .none, output: .sequence, error: .sequence) {
                execution in
                async let output = OutputReader.read(execution.standardOutput, limit: outputLimit, onLine: onLine)
                async let error = OutputReader.read(execution.standardError, limit: outputLimit, onLine: onLine)
                return CommandResult(
                    exit: .exited(0), standardOutput: await output.text, standardError: await error.text)
            }
        } catch let error as SubprocessError {
            throw ChildProcessError(error, command: command)
        }
        try Task.checkCancellation()
        var collected = result.closureResult
        collected.exit = ProcessExit(result.terminationStatus)
        return collected
    }

    /// Starts `command` and returns once it runs; its output goes to `output` until it ends.
    ///
    /// The child runs under a task of its own, owned by the returned ``RunningChild``: it outlives this call, as a
    /// server does the call that started it. End it with ``RunningChild/send(_:)`` (``ProcessSupervisor`` does).
    package static func start(_ command: ProcessCommand, output: ProcessOutput) async throws(ChildProcessError)
        -> RunningChild
    {
        let configuration = try configuration(for: command)
        let started = Completion<Result<Int32, ChildProcessError>>()
        let exit = Completion<ProcessExit>()
        let task = Task {
            do {
                let status: TerminationStatus
                switch output {
                case .inherit:
                    status = try await Subprocess.run(
                        configuration, input: .none, output: .currentStandardOutput, error: .currentStandardError
                    ) { execution in
                        started.finish(.success(execution.processIdentifier.value))
                    }.terminationStatus
                case .lines(let handler):
                    status = try await Subprocess.run(
                        configuration, input: .none, output: .sequence, error: .combinedWithOutput
                    ) { execution in
                        started.finish(.success(execution.processIdentifier.value))
                        _ = await OutputReader.read(execution.standardOutput, limit: 1 << 20, onLine: handler)
                    }.terminationStatus
                }
                exit.finish(ProcessExit(status))
            } catch let error as SubprocessError {
                started.finish(.failure(ChildProcessError(error, command: command)))
                exit.finish(.exited(-1))
            } catch {
                started.finish(
                    .failure(ChildProcessError(.cannotStart, "cannot start \(command.executable): \(error)")))
                exit.finish(.exited(-1))
            }
        }
        let processIdentifier = try await started.wait().get()
        return RunningChild(processIdentifier: processIdentifier, exit: exit, task: task)
    }

    /// Subprocess's configuration for `command`: a process group of its own, torn down as a group when the task
    /// running it is cancelled. Throws when the program or the working directory does not exist.
    static func configuration(for command: ProcessCommand) throws(ChildProcessError) -> Configuration {
        let executable: Executable
        if command.executable.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: command.executable) else {
                throw .programNotFound(command.executable)
            }
            executable = .path(FilePath(command.executable))
        } else {
            executable = .name(command.executable)
        }
        var isDirectory: ObjCBool = false
        if let directory = command.workingDirectory {
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw ChildProcessError(.noDirectory, "cannot start \(command.executable): no directory \(directory)")
            }
        }
        var platformOptions = PlatformOptions()
        platformOptions.processGroupID = 0
        platformOptions.teardownSequence = [
            .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: cancellationGracePeriod)
        ]
        return Configuration(
            executable: executable,
            arguments: Arguments(command.arguments),
            // Keys and values, not `.custom([[UInt8]])`: Subprocess 1.0.2 copies those rows with `strdup`, which reads
            // past rows that have no terminating NUL.
            environment: command.environment.map { environment in
                .custom(
                    Dictionary(
                        uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) }))
            } ?? .inherit,
            workingDirectory: command.workingDirectory.map { FilePath($0) },
            platformOptions: platformOptions
        )
    }
}

extension ChildProcessError {
    /// Subprocess's error for `command`, in flowlang's words.
    init(_ error: SubprocessError, command: ProcessCommand) {
        switch error.code {
        case .executableNotFound:
            self = .programNotFound(command.executable)
        case .failedToChangeWorkingDirectory:
            self.init(
                .noDirectory, "cannot start \(command.executable): no directory \(command.workingDirectory ?? "")")
        default:
            self.init(.cannotStart, "cannot start \(command.executable): \(error)")
        }
    }
}

extension ProcessExit {
    init(_ status: TerminationStatus) {
        switch status {
        case .exited(let code): self = .exited(code)
        case .signaled(let signal): self = .signalled(signal)
        }
    }
}
