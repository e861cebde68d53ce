import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A started child process whose end any number of callers can await.
///
/// Started with `posix_spawn` rather than Foundation's `Process`: the child must begin with an empty signal
/// mask and default signal handlers, whatever the spawning thread blocks or ignores (Swift's concurrency
/// threads block SIGTERM, which a child would otherwise inherit and never see). A dedicated thread waits for
/// the exit and another reads the output, so no blocking call runs on the cooperative pool.
final class SupervisedProcess: Sendable {
    /// The child's process id.
    let processIdentifier: Int32
    private let exit: Completion<ProcessExit>
    private let outputEnd: Completion<Bool>

    private init(processIdentifier: Int32, exit: Completion<ProcessExit>, outputEnd: Completion<Bool>) {
        self.processIdentifier = processIdentifier
        self.exit = exit
        self.outputEnd = outputEnd
    }

    /// Starts `command`; throws ``ProcessSupervisorError`` when it cannot be started.
    static func launch(_ command: ProcessCommand, output: ProcessOutput) throws(ProcessSupervisorError)
        -> SupervisedProcess
    {
        let exit = Completion<ProcessExit>()
        let outputEnd = Completion<Bool>()
        var ends: (read: Int32, write: Int32)?
        if case .lines = output {
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else {
                throw ProcessSupervisorError(
                    "cannot start \(command.executable): no pipe for its output (errno \(errno))")
            }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            ends = (fds[0], fds[1])
        }
        var files: (output: Int32, error: Int32)?
        if case .files(let outputPath, let errorPath) = output {
            let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
            let outputFile = open(outputPath, flags, 0o600)
            let errorFile = open(errorPath, flags, 0o600)
            guard outputFile >= 0, errorFile >= 0 else {
                if outputFile >= 0 { close(outputFile) }
                if errorFile >= 0 { close(errorFile) }
                throw ProcessSupervisorError(
                    "cannot start \(command.executable): cannot open its output files (errno \(errno))")
            }
            files = (outputFile, errorFile)
        }
        defer {
            if let files {
                close(files.output)
                close(files.error)
            }
        }
        let pid: pid_t
        do {
            pid = try ProcessSpawn.spawn(command, output: ends?.write ?? files?.output, errorOutput: files?.error)
        } catch {
            if let ends {
                close(ends.read)
                close(ends.write)
            }
            throw error
        }
        if let ends, case .lines(let handler) = output {
            close(ends.write)
            let splitter = LineSplitter(handler: handler)
            let reader = Thread {
                var buffer = [UInt8](repeating: 0, count: 16 * 1024)
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(ends.read, $0.baseAddress, $0.count) }
                    if count > 0 {
                        splitter.append(Data(buffer[0..<count]))
                    } else if count < 0, errno == EINTR {
                        continue
                    } else {
                        break
                    }
                }
                close(ends.read)
                splitter.finish()
                outputEnd.finish(true)
            }
            reader.start()
        } else {
            outputEnd.finish(true)
        }
        let waiter = Thread { exit.finish(ProcessSpawn.waitForExit(pid)) }
        waiter.start()
        return SupervisedProcess(processIdentifier: pid, exit: exit, outputEnd: outputEnd)
    }

    /// Sends `signal` unless the child has ended already.
    func send(_ signal: Int32) {
        guard exit.value == nil else { return }
        kill(processIdentifier, signal)
    }

    /// How the child ended, once it has; `nil` while it runs.
    var exitIfEnded: ProcessExit? { exit.value }

    /// Waits until the child has ended. Not cancellable: stopping races it against a clock instead.
    func waitForExit() async -> ProcessExit {
        await exit.wait()
    }

    /// Waits until the child has ended; `nil` once the calling task is cancelled.
    func waitForExitUnlessCancelled() async -> ProcessExit? {
        await exit.waitUnlessCancelled()
    }

    /// Waits until every line of a ``ProcessOutput/lines(_:)`` child has been handed over (at once for
    /// `.inherit`). A grandchild holding the output open delays it, so supervision waits for the exit only.
    func waitForOutputEnd() async {
        _ = await outputEnd.wait()
    }
}

/// A value produced once and awaited by any number of callers.
private final class Completion<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var nextId = 0
        var waiters: [Int: CheckedContinuation<Value?, Never>] = [:]
    }

    private let state = Mutex(State())

    var value: Value? { state.withLock { $0.value } }

    func finish(_ value: Value) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value?, Never>] in
            state.value = value
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    /// Waits for the value, ignoring cancellation (a waiter without an id is only resumed with the value; the
    /// loop is for the type checker).
    func wait() async -> Value {
        while true {
            if let value = await register(id: nil) { return value }
        }
    }

    /// Waits for the value; `nil` once the calling task is cancelled.
    func waitUnlessCancelled() async -> Value? {
        let id = state.withLock { state -> Int in
            state.nextId += 1
            return state.nextId
        }
        return await withTaskCancellationHandler {
            await register(id: id)
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: nil)
        }
    }

    /// Suspends until the value is there (or, with an `id`, until that waiter is removed on cancellation).
    private func register(id: Int?) async -> Value? {
        await withCheckedContinuation { continuation in
            let outcome = state.withLock { state -> (resume: Bool, value: Value?) in
                if let value = state.value { return (true, value) }
                if id != nil, Task.isCancelled { return (true, nil) }
                let key =
                    id
                    ?? {
                        state.nextId += 1
                        return state.nextId
                    }()
                state.waiters[key] = continuation
                return (false, nil)
            }
            if outcome.resume { continuation.resume(returning: outcome.value) }
        }
    }
}

/// Cuts a byte stream into lines for a ``ProcessOutput/lines(_:)`` handler.
private final class LineSplitter: Sendable {
    private let handler: @Sendable (String) -> Void
    private let pending = Mutex(Data())

    init(handler: @escaping @Sendable (String) -> Void) {
        self.handler = handler
    }

    func append(_ data: Data) {
        let lines = pending.withLock { pending -> [String] in
            pending.append(data)
            var lines: [String] = []
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                pending = Data(pending[pending.index(after: newline)...])
            }
            return lines
        }
        for line in lines { handler(line) }
    }

    func finish() {
        let rest = pending.withLock { pending -> Data in
            defer { pending = Data() }
            return pending
        }
        if !rest.isEmpty { handler(String(decoding: rest, as: UTF8.self)) }
    }
}
