import Foundation

/// `swift build --product X` in a package directory: incremental, with compact errors and progress.
///
/// ```swift
/// let build = PackageBuild(directory: package.directory, product: "OrderFulfillmentServer")
/// let outcome = await build.run { elapsed in print("building… \(elapsed)") }
/// if outcome.succeeded { run(build.executablePath) } else { print(outcome.diagnostics.joined(separator: "\n")) }
/// ```
package struct PackageBuild: Sendable {
    package var directory: String
    package var product: String
    /// SwiftPM's `--scratch-path`; `nil` builds into `<directory>/.build`.
    package var scratchPath: String?
    /// How often `progress` hears how long the build has been running.
    package var progressInterval: Duration

    package init(
        directory: String, product: String, scratchPath: String? = nil, progressInterval: Duration = .seconds(5)
    ) {
        self.directory = directory
        self.product = product
        self.scratchPath = scratchPath
        self.progressInterval = progressInterval > .zero ? progressInterval : .seconds(5)
    }

    /// Where the debug build puts the product's executable.
    package var executablePath: String {
        let scratch = scratchPath ?? (directory as NSString).appendingPathComponent(".build")
        return (scratch as NSString).appendingPathComponent("debug/\(product)")
    }

    /// The arguments after `swift`.
    var arguments: [String] {
        var arguments = ["build", "--product", product]
        if let scratchPath { arguments += ["--scratch-path", scratchPath] }
        return arguments
    }

    /// Builds and waits; `progress` is called every `progressInterval` while the build runs, with the time since
    /// it started. Cancelling the calling task stops the build and every compiler it started (SIGTERM, then SIGKILL)
    /// and returns a failed outcome.
    package func run(progress: @escaping @Sendable (Duration) async -> Void = { _ in }) async -> BuildOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            let message = "cannot build \(product): \(directory) is not a directory"
            return BuildOutcome(succeeded: false, duration: .zero, diagnostics: [message], log: message)
        }
        let interval = progressInterval
        let command = ProcessCommand(executable: "swift", arguments: arguments, workingDirectory: directory)
        typealias Finished = Result<CommandResult, any Error>
        let finished: Finished = await withTaskGroup(of: Finished?.self) { group in
            group.addTask {
                do {
                    let output = try await ChildProcess.run(command)
                    return Finished.success(output)
                } catch {
                    return Finished.failure(error)
                }
            }
            group.addTask {
                while (try? await clock.sleep(for: interval)) != nil {
                    await progress(clock.now - started)
                }
                return nil
            }
            var result: Finished = .failure(CancellationError())
            while let next = await group.next() {
                if let next {
                    result = next
                    group.cancelAll()
                }
            }
            return result
        }
        let duration = clock.now - started
        switch finished {
        case .success(let output):
            let log = output.output
            let succeeded = output.status == 0
            return BuildOutcome(
                succeeded: succeeded,
                duration: duration,
                diagnostics: succeeded ? [] : BuildDiagnostics.compact(log, directory: directory),
                log: log
            )
        case .failure(let error as CancellationError):
            return BuildOutcome(succeeded: false, duration: duration, diagnostics: ["build cancelled"], log: "\(error)")
        case .failure(let error):
            let message = "cannot run `swift \(arguments.joined(separator: " "))` in \(directory): \(error)"
            return BuildOutcome(succeeded: false, duration: duration, diagnostics: [message], log: message)
        }
    }
}

/// How a ``PackageBuild`` ended.
package struct BuildOutcome: Sendable, Equatable {
    package var succeeded: Bool
    package var duration: Duration
    /// On failure, the compact errors (see ``BuildDiagnostics``); empty on success.
    package var diagnostics: [String]
    /// Everything the build printed.
    package var log: String

    package init(succeeded: Bool, duration: Duration, diagnostics: [String], log: String) {
        self.succeeded = succeeded
        self.duration = duration
        self.diagnostics = diagnostics
        self.log = log
    }
}
