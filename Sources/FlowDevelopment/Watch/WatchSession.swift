import FlowCore
import FlowServer
import Foundation
import OrderedCollections

/// `flowlang watch`: runs a flow, then re-runs it on every change and reports what changed in the result.
///
/// A flow on its own runs in-process with the built-in tasks. A scaffolded package is built
/// (`swift build --product <Server>`, incremental) and its server runs the flow
/// (`<Server> run --inputs … --flow flow.yaml`). The rounds:
/// * at the start, and whenever the flow file, another YAML file beside it or the test inputs change: run
///   again at once (a package is rebuilt first only if its last build failed);
/// * when `Package.swift` or a Swift file under `Sources/` changes (packages only): rebuild, then run.
///
/// Every round ends with a ``WatchReport``: the run's status, outputs, duration and ``RunDiff`` against the
/// previous run, or why it could not run (compiler errors, flow diagnostics, bad inputs). Watching always
/// continues. Changes made while a round is busy are picked up together by one round right after it.
///
/// ```swift
/// let session = try WatchSession(package: try TaskPackage.locate("."), inputs: TestInputs(explicit: nil, directory: "."))
/// await session.run { event in print(WatchRenderer.render(event)) }   // until cancelled
/// ```
package struct WatchSession: Sendable {
    package var package: TaskPackage
    package var inputs: TestInputs
    package var pollInterval: Duration
    package var clock: any Clock<Duration>
    /// SwiftPM's `--scratch-path` for package builds; `nil` uses `<package>/.build`.
    package var scratchPath: String?
    package var buildProgressInterval: Duration

    /// Checks the test inputs once, so a bad file stops watch mode before it starts.
    package init(
        package: TaskPackage,
        inputs: TestInputs,
        pollInterval: Duration = .milliseconds(120),
        clock: any Clock<Duration> = ContinuousClock(),
        scratchPath: String? = nil,
        buildProgressInterval: Duration = .seconds(5)
    ) throws(TestInputsError) {
        _ = try inputs.load()
        self.package = package
        self.inputs = inputs
        self.pollInterval = pollInterval
        self.clock = clock
        self.scratchPath = scratchPath
        self.buildProgressInterval = buildProgressInterval
    }

    /// The watched files: the flow, YAML beside it, subflows in folders beside it (`<name>/flow.yaml`, where the
    /// subflow loader looks first), the test inputs, and for a package its manifest and sources.
    package var patterns: [FilePattern] {
        var patterns = [
            FilePattern(package.flowFile), FilePattern("*.yaml"), FilePattern("*.yml"), FilePattern("*/flow.yaml"),
        ]
        if let path = inputs.path { patterns.append(FilePattern(path)) }
        if case .swiftPackage = package.kind {
            patterns += [FilePattern("Package.swift"), FilePattern("Sources/**/*.swift")]
        }
        return patterns
    }

    /// Runs the first round, then one round per batch of changes, until the calling task is cancelled.
    package func run(_ emit: @escaping @Sendable (WatchEvent) async -> Void) async {
        let watcher = FileWatcher(root: package.directory, patterns: patterns, interval: pollInterval, clock: clock)
        let changes = watcher.changes()
        await emit(.watching(package: package, inputs: inputs, fileCount: watcher.matchingFiles().count))
        var state = RoundState(needsBuild: true)
        await round(sourcesChanged: false, state: &state, emit)
        for await batch in changes {
            guard !Task.isCancelled else { return }
            await emit(.changed(batch.all.map(relative)))
            let sourcesChanged = batch.contains { $0.hasSuffix(".swift") }
            await round(sourcesChanged: sourcesChanged, state: &state, emit)
        }
    }

    /// What carries from one round to the next.
    struct RoundState {
        /// The package's executable is missing or stale (no successful build since a Swift change).
        var needsBuild: Bool
        var previous: RunSummary?
    }

    /// Builds if needed, loads the flow and the inputs, runs, reports.
    func round(sourcesChanged: Bool, state: inout RoundState, _ emit: @escaping @Sendable (WatchEvent) async -> Void)
        async
    {
        let started = ContinuousClock.now
        var build: BuildOutcome?
        var flowName: String?
        func finish(_ outcome: WatchReport.Outcome) async {
            let report = WatchReport(
                timestamp: Date(), flowName: flowName, build: build, outcome: outcome,
                elapsed: ContinuousClock.now - started)
            await emit(.finished(report))
        }

        if case .swiftPackage(let product) = package.kind, state.needsBuild || sourcesChanged {
            let builder = packageBuild(product)
            let outcome = await builder.run { elapsed in await emit(.building(product: product, elapsed: elapsed)) }
            guard !Task.isCancelled else { return }
            build = outcome
            state.needsBuild = !outcome.succeeded
            guard outcome.succeeded else { return await finish(.buildFailed(outcome.diagnostics)) }
        }
        let flow: FlowDefinition
        do {
            flow = try FlowLoader().load(contentsOf: package.flowFile)
        } catch {
            return await finish(.invalidFlow(error.diagnostics.map(\.description)))
        }
        flowName = flow.name
        let inputValues: FlowValue
        do {
            inputValues = try inputs.load()
        } catch {
            return await finish(.invalidInputs([error.message]))
        }
        let run: RunAttempt
        switch package.kind {
        case .flowOnly: run = await runInProcess(flow, inputs: inputValues)
        case .swiftPackage(let product): run = await runBuilt(product, inputs: inputValues)
        }
        guard !Task.isCancelled else { return }
        switch run {
        case .ran(let summary, let duration):
            let diff = state.previous.map { RunDiff(from: $0, to: summary) }
            state.previous = summary
            await finish(.ran(summary, duration: duration, diff: diff))
        case .invalidInputs(let problems):
            await finish(.invalidInputs(problems))
        case .error(let message):
            await finish(.runError(message))
        }
    }

    enum RunAttempt {
        case ran(RunSummary, Duration)
        case invalidInputs([String])
        case error(String)
    }

    func packageBuild(_ product: String) -> PackageBuild {
        PackageBuild(
            directory: package.directory, product: product, scratchPath: scratchPath,
            progressInterval: buildProgressInterval)
    }

    /// Runs a flow of built-in tasks (`HttpRequest` included, as `flowlang serve` has it) in this process.
    func runInProcess(_ flow: FlowDefinition, inputs: FlowValue) async -> RunAttempt {
        var registry = TaskRegistry()
        registry.registerHTTPTasks()
        do {
            let result = try await FlowExecutor(registry: registry).execute(flow, inputs: inputs.objectValue ?? [:])
            return .ran(RunSummary(result), result.duration)
        } catch {
            return .invalidInputs(error.problems.map { "input '\($0.input)': \($0.message)" })
        }
    }

    /// `<Server> run --inputs JSON --flow FILE`: exit 0 or 1 with the result JSON, 2 for invalid inputs.
    func runBuilt(_ product: String, inputs: FlowValue) async -> RunAttempt {
        let executable = packageBuild(product).executablePath
        let command = ProcessCommand(
            executable: executable,
            arguments: ["run", "--inputs", inputs.jsonText, "--flow", package.flowFile],
            workingDirectory: package.directory
        )
        let started = ContinuousClock.now
        let finished: CommandResult
        do {
            finished = try await ChildProcess.run(command)
        } catch {
            return .error("cannot start \(executable): \(error)")
        }
        let duration = ContinuousClock.now - started
        let printed = finished.standardOutput
        if finished.status == 2 {
            return .invalidInputs(printed.split(whereSeparator: \.isNewline).map(String.init))
        }
        if let summary = Self.result(in: printed) { return .ran(summary, duration) }
        let detail = (finished.standardError + printed).split(whereSeparator: \.isNewline).suffix(8).joined(
            separator: "\n")
        return .error("\(product) exited with status \(finished.status) without a result:\n\(detail)")
    }

    /// The result JSON the server printed last: from the first line that is just `{` (anything the tasks
    /// printed comes before it).
    static func result(in printed: String) -> RunSummary? {
        let lines = printed.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where line == "{" {
            if let json = try? FlowValue(json: lines[index...].joined(separator: "\n")),
                let summary = RunSummary(json: json)
            {
                return summary
            }
        }
        return nil
    }

    /// `path` relative to the package directory when inside it.
    func relative(_ path: String) -> String {
        let prefix = package.directory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
