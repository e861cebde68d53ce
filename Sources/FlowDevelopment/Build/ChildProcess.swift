import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a program to completion and collects what it printed on each stream; cancelling the calling task sends
/// it SIGTERM.
///
/// Started as a ``SupervisedProcess`` (so it sees the signals it is sent), with its output in temporary files
/// rather than pipes, so a chatty program can never block on a full pipe.
struct ChildProcess {
    struct Finished: Sendable {
        /// The exit status, or 128 + the signal's number when a signal ended it, as shells report it.
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The program, found on PATH when `executable` has no slash.
    var executable: String
    var arguments: [String]
    var directory: String
    /// The child's whole environment; `nil` passes flowlang's own.
    var environment: [String: String]? = nil

    /// Waits for the program to exit. Throws when it cannot be started, or `CancellationError` once cancelled.
    func run() async throws -> Finished {
        let outputFile = Self.temporaryFile("out")
        let errorFile = Self.temporaryFile("err")
        defer {
            try? FileManager.default.removeItem(atPath: outputFile)
            try? FileManager.default.removeItem(atPath: errorFile)
        }
        // A bare name is looked up on PATH by env.
        let (program, programArguments) =
            executable.contains("/") ? (executable, arguments) : ("/usr/bin/env", [executable] + arguments)
        let command = ProcessCommand(
            executable: program, arguments: programArguments, workingDirectory: directory, environment: environment)
        let child = try SupervisedProcess.launch(
            command, output: .files(standardOutput: outputFile, standardError: errorFile))
        let exit = await withTaskCancellationHandler {
            await child.waitForExit()
        } onCancel: {
            child.send(SIGTERM)
        }
        try Task.checkCancellation()
        let status: Int32 =
            switch exit {
            case .exited(let code): code
            case .signalled(let signal): 128 + signal
            }
        return Finished(
            status: status,
            standardOutput: (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
        )
    }

    private static func temporaryFile(_ kind: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("flowlang-\(UUID().uuidString).\(kind)").path
    }
}
