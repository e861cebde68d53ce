import Synchronization

/// What a command printed (standard output and error, merged) and how it ended.
package struct CommandResult: Sendable, Equatable {
    package var exit: ProcessExit
    package var output: String

    package init(exit: ProcessExit, output: String) {
        self.exit = exit
        self.output = output
    }

    package var succeeded: Bool { exit == .exited(0) }
}

/// Runs a command to its end and collects its output; `doctor` and dependency resolution use it.
package enum CommandRunner {
    /// Runs `command`; `nil` when it cannot be started (no such program).
    package static func run(_ command: ProcessCommand) async -> CommandResult? {
        let lines = Mutex<[String]>([])
        guard
            let child = try? SupervisedProcess.launch(
                command, output: .lines { line in lines.withLock { $0.append(line) } })
        else {
            return nil
        }
        let exit = await child.waitForExit()
        await child.waitForOutputEnd()
        return CommandResult(exit: exit, output: lines.withLock { $0.joined(separator: "\n") })
    }

    /// Runs the program named `name` found on PATH (through `/usr/bin/env`).
    package static func run(_ name: String, _ arguments: [String], in directory: String? = nil) async -> CommandResult?
    {
        let result = await run(
            ProcessCommand(executable: "/usr/bin/env", arguments: [name] + arguments, workingDirectory: directory))
        if let result, result.exit == .exited(127), result.output.contains("No such file") { return nil }
        return result
    }
}
