import ArgumentParser
import FlowDevelopment
import Foundation
import UnixSignals

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Run a flow, then re-run it on every change and show what changed in the result.",
        discussion: """
            DIR holds flow.yaml: on its own (built-in tasks, run in-process), or in a package made by \
            `flowlang scaffold` (rebuilt incrementally when its Swift sources change, then run by its server). \
            A YAML or inputs change re-runs at once. Each run prints success or failure, duration, outputs, \
            and a field-level diff against the previous run; build errors and invalid flows are shown and \
            watching goes on. Inputs come from --test-inputs, else DIR/test_inputs.json, else {}. \
            Ctrl-C stops. Exit status: 0 when stopped, 2 when DIR or the test inputs cannot be used.
            """
    )

    @Argument(help: "The flow's directory (or its flow file).", completion: .directory)
    var directory: String = "."

    @Option(
        name: .long, help: "A JSON file with the flow's inputs (a JSON object).",
        completion: .file(extensions: ["json"]))
    var testInputs: String?

    @Option(name: .long, help: "How often to look for changes, in milliseconds (10 to 5000).")
    var pollInterval: Int = 120

    func validate() throws {
        guard (10...5000).contains(pollInterval) else {
            throw ValidationError("--poll-interval must be from 10 to 5000 milliseconds, got \(pollInterval)")
        }
    }

    func run() async throws {
        let session: WatchSession
        do {
            let package = try TaskPackage.locate(directory)
            session = try WatchSession(
                package: package,
                inputs: TestInputs(explicit: testInputs, directory: package.directory),
                pollInterval: .milliseconds(pollInterval)
            )
        } catch {
            Self.write("error: \(error)")
            throw ExitCode(2)
        }
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await session.run { event in Self.write(WatchRenderer.render(event)) }
            }
            group.addTask {
                for await _ in signals { return }
            }
            await group.next()
            group.cancelAll()
        }
        Self.write("stopped watching")
    }

    /// Writes at once, unbuffered, so the output shows up as it happens even when piped.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
