import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program to completion and collects what it printed; cancelling the calling task sends it SIGTERM.
///
/// Output goes to temporary files rather than pipes, so a chatty program can never block on a full pipe.
struct ChildProcess {
    struct Finished: Sendable {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The program, found on PATH when `executable` has no slash.
    var executable: String
    var arguments: [String]
    var directory: String

    /// Waits for the program to exit. Throws when it cannot be started, or `CancellationError` once cancelled.
    func run() async throws -> Finished {
        let outputFile = Self.temporaryFile("out")
        let errorFile = Self.temporaryFile("err")
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        let outputHandle = try FileHandle(forWritingTo: outputFile)
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        let processId = Atomic<Int32>(0)
        let status: Int32 = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
                process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: error)
                    return
                }
                processId.store(process.processIdentifier, ordering: .sequentiallyConsistent)
                if Task.isCancelled { kill(process.processIdentifier, SIGTERM) }
            }
        } onCancel: {
            let id = processId.load(ordering: .sequentiallyConsistent)
            if id > 0 { kill(id, SIGTERM) }
        }
        try? outputHandle.close()
        try? errorHandle.close()
        try Task.checkCancellation()
        return Finished(
            status: status,
            standardOutput: (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        )
    }

    private static func temporaryFile(_ kind: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowlang-\(UUID().uuidString).\(kind)")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }
}
