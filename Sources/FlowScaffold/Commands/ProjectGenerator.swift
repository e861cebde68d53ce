import FlowCore
import Foundation

/// The `flowlang scaffold`, `update`, `auto` and `auto-all` commands: everything but argument parsing.
package enum ProjectGenerator {
    /// What to print and how to exit.
    package struct Outcome: Sendable {
        package var text: String
        /// 0 done, 1 refused or failed, 2 invalid flow.
        package var exitCode: Int32
    }

    /// One scaffold or update.
    package struct Request: Sendable {
        package var flowFile: String
        package var outputDirectory: String
        package var force: Bool
        package var dryRun: Bool
        /// Where the package gets FlowLang; `nil` for the checkout `flowlang` was built from.
        package var flowLang: FlowLangDependency?
        package var generatorVersion: String

        package init(
            flowFile: String,
            outputDirectory: String,
            force: Bool = false,
            dryRun: Bool = false,
            flowLang: FlowLangDependency? = nil,
            generatorVersion: String = "0.1.0"
        ) {
            self.flowFile = flowFile
            self.outputDirectory = outputDirectory
            self.force = force
            self.dryRun = dryRun
            self.flowLang = flowLang
            self.generatorVersion = generatorVersion
        }
    }

    /// `flowlang scaffold`: a new package, refusing directories holding other files unless `force`.
    package static func scaffold(_ request: Request) -> Outcome {
        let loaded: Loaded
        switch load(request.flowFile) {
        case .success(let value): loaded = value
        case .failure(let outcome): return outcome
        }
        let directory = request.outputDirectory
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), !isDirectory.boolValue {
            return Outcome(text: "error: '\(directory)' is a file; choose a directory for the package", exitCode: 1)
        }
        if let manifest = Manifest.load(from: directory), !request.force {
            return Outcome(
                text: """
                    error: '\(directory)' already holds the flowlang project '\(manifest.flow)'. Run \
                    `flowlang update \(request.flowFile) -o \(directory)` to merge the changed flow without losing code, \
                    or add --force to regenerate it (implemented tasks and your own files are still kept).
                    """,
                exitCode: 1
            )
        }
        let others = foreignEntries(in: directory, source: request.flowFile)
        if !Manifest.exists(in: directory), !others.isEmpty, !request.force {
            let shown =
                others.prefix(8).joined(separator: ", ") + (others.count > 8 ? " and \(others.count - 8) more" : "")
            return Outcome(
                text: """
                    error: '\(directory)' is not empty and was not created by flowlang (no \(ProjectLayout.manifestFile)): \
                    \(shown). Choose an empty directory, or add --force: flowlang then writes its files there, backing \
                    up any file it replaces to \(ProjectLayout.backupDirectory)/, and deletes nothing.
                    """,
                exitCode: 1
            )
        }
        return generate(loaded, request: request, mode: .scaffold(force: request.force), verb: "Scaffolding")
    }

    /// `flowlang update`: merges a changed flow into an existing package without losing code.
    package static func update(_ request: Request) -> Outcome {
        let loaded: Loaded
        switch load(request.flowFile) {
        case .success(let value): loaded = value
        case .failure(let outcome): return outcome
        }
        guard let manifest = Manifest.load(from: request.outputDirectory) else {
            return Outcome(
                text: """
                    error: no flowlang project in '\(request.outputDirectory)' (\(ProjectLayout.manifestFile) is missing); \
                    create one with `flowlang scaffold \(request.flowFile) -o \(request.outputDirectory)`
                    """,
                exitCode: 1
            )
        }
        guard manifest.flow == loaded.flow.name else {
            return Outcome(
                text: """
                    error: '\(request.outputDirectory)' holds the flow '\(manifest.flow)', but \(request.flowFile) defines \
                    '\(loaded.flow.name)'; the package's targets are named after the flow. Keep the name, or scaffold the \
                    renamed flow into a new directory.
                    """,
                exitCode: 1
            )
        }
        return generate(loaded, request: request, mode: .update, verb: "Updating")
    }

    /// `flowlang auto`: validates, then updates the package at `<yaml dir>/<flow name>` or scaffolds it.
    package static func auto(_ request: Request) -> Outcome {
        let loaded: Loaded
        switch load(request.flowFile) {
        case .success(let value): loaded = value
        case .failure(let outcome): return outcome
        }
        var resolved = request
        resolved.outputDirectory = autoDirectory(for: request.flowFile, flowName: loaded.flow.name)
        return Manifest.exists(in: resolved.outputDirectory) ? update(resolved) : scaffold(resolved)
    }

    /// Where `auto` puts a flow's package: beside the YAML, named after the flow (not the file).
    package static func autoDirectory(for flowFile: String, flowName: String) -> String {
        ((flowFile as NSString).deletingLastPathComponent as NSString).appendingPathComponent(flowName)
    }

    /// `flowlang auto-all`: `auto` for every file in `directory` (not recursive) matching `pattern`, sorted.
    package static func autoAll(directory: String, pattern: String, template: Request) -> Outcome {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        let files = names.filter { Glob.matches(pattern, $0) }
            .map { (directory as NSString).appendingPathComponent($0) }
            .filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            }
        guard !files.isEmpty else {
            return Outcome(text: "error: no file in '\(directory)' matches '\(pattern)'", exitCode: 1)
        }
        var lines: [String] = []
        var failed = 0
        for file in files {
            var request = template
            request.flowFile = file
            let outcome = auto(request)
            if outcome.exitCode == 0 {
                lines.append("✅ \(file)")
            } else {
                failed += 1
                lines.append("❌ \(file) (exit \(outcome.exitCode))")
            }
            lines += outcome.text.split(separator: "\n", omittingEmptySubsequences: false).map { "   " + $0 }
        }
        lines.append("")
        lines.append("auto-all: \(files.count) file(s), \(files.count - failed) succeeded, \(failed) failed")
        return Outcome(text: lines.joined(separator: "\n"), exitCode: failed == 0 ? 0 : 1)
    }

    // MARK: - Private

    struct Loaded {
        var flow: FlowDefinition
        var source: String
    }

    enum LoadResult {
        case success(Loaded)
        case failure(Outcome)
    }

    static func load(_ file: String) -> LoadResult {
        let flow: FlowDefinition
        do {
            flow = try FlowLoader().load(contentsOf: file)
        } catch {
            return .failure(
                Outcome(text: error.description + "\nerror: the flow is invalid; nothing was generated", exitCode: 2))
        }
        guard let source = try? String(contentsOfFile: file, encoding: .utf8) else {
            return .failure(Outcome(text: "error: cannot read '\(file)'", exitCode: 2))
        }
        return .success(Loaded(flow: flow, source: source))
    }

    /// The directory's entries that are neither flowlang's nor the source flow file itself.
    static func foreignEntries(in directory: String, source: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let sourcePath = URL(fileURLWithPath: source).standardizedFileURL.path
        return names.sorted().filter { name in
            name != ".DS_Store"
                && URL(fileURLWithPath: (directory as NSString).appendingPathComponent(name)).standardizedFileURL.path
                    != sourcePath
        }
    }

    static func generate(_ loaded: Loaded, request: Request, mode: ApplyMode, verb: String) -> Outcome {
        let flow = loaded.flow
        let directory = request.outputDirectory
        let layout = ProjectLayout(flowName: flow.name)
        let discovered = Scaffolder.discoverTasks(in: flow)
        let reader = DirectoryReader(root: directory)
        let implemented = Set(
            discovered.filter { task in
                let contents =
                    reader.read(layout.taskFile(task.typeName)) ?? reader.read(layout.orphanFile(task.typeName))
                return contents.map { !TaskFileInspector.isStub($0) } ?? false
            }.map(\.name)
        )
        let absoluteDirectory = URL(fileURLWithPath: directory).standardizedFileURL.path
        let flowLang = (request.flowLang ?? .path(FlowLangDependency.buildCheckout)).relative(to: absoluteDirectory)
        var notes: [String] = []
        if request.flowLang == nil, !FlowLangDependency.buildCheckoutExists {
            notes.append(
                "warning: the FlowLang checkout flowlang was built from (\(FlowLangDependency.buildCheckout)) is gone; pass --flowlang PATH_OR_URL"
            )
        }
        let options = ScaffoldOptions(
            flowLang: flowLang, generatorVersion: request.generatorVersion, implementedTasks: implemented)
        let plan = Scaffolder.plan(flow: flow, source: loaded.source, options: options)

        var lines = flow.warnings.map(\.description)
        lines.append("\(verb) '\(flow.name)' into \(directory)")
        let taskNames = plan.tasks.map(\.name)
        lines.append(
            "Found \(taskNames.count) task(s): " + (taskNames.isEmpty ? "none" : taskNames.joined(separator: ", ")))
        if !plan.builtinTasks.isEmpty {
            lines.append("Built-in tasks used (no code needed): " + plan.builtinTasks.joined(separator: ", "))
        }
        lines += notes
        if request.dryRun {
            lines.append("Planned changes:")
            lines += plan.plannedChanges(in: directory, mode: mode).map { "  " + $0 }
            lines.append(plan.preview(in: directory, mode: mode).summary)
            return Outcome(text: lines.joined(separator: "\n"), exitCode: 0)
        }
        let report: MergeReport
        do {
            report = try plan.apply(to: directory, mode: mode)
        } catch {
            return Outcome(
                text: (lines + ["error: writing the package failed: \(error.localizedDescription)"]).joined(
                    separator: "\n"), exitCode: 1)
        }
        lines.append(report.summary)
        if let status = Scaffolder.status(of: directory) {
            lines.append(
                "Tasks implemented: \(status.progress)"
                    + (status.pending.isEmpty ? "" : "; pending: " + status.pending.joined(separator: ", ")))
        }
        if mode != .update {
            lines += [
                "Next steps:",
                "  cd \(directory)",
                "  swift build                        # the first build compiles FlowLang's dependencies: a few minutes",
                "  swift test                         # the flow runs with every task mocked",
                "  swift run \(layout.serverTarget)   # serves http://127.0.0.1:8000; implement tasks in \(layout.tasksDirectory)/",
            ]
        }
        return Outcome(text: lines.joined(separator: "\n"), exitCode: 0)
    }
}

/// Shell-style file name patterns: `*`, `?` and `[abc]` / `[a-z]` / `[!x]`.
enum Glob {
    static func matches(_ pattern: String, _ name: String) -> Bool {
        matches(Array(pattern), 0, Array(name), 0)
    }

    private static func matches(_ pattern: [Character], _ p: Int, _ name: [Character], _ n: Int) -> Bool {
        if p == pattern.count { return n == name.count }
        switch pattern[p] {
        case "*":
            for start in n...name.count where matches(pattern, p + 1, name, start) { return true }
            return false
        case "?":
            return n < name.count && matches(pattern, p + 1, name, n + 1)
        case "[":
            guard n < name.count, let close = pattern[(p + 1)...].firstIndex(of: "]") else {
                return n < name.count && name[n] == "[" && matches(pattern, p + 1, name, n + 1)
            }
            var set = Array(pattern[(p + 1)..<close])
            let negated = set.first == "!" || set.first == "^"
            if negated { set.removeFirst() }
            var found = false
            var index = 0
            while index < set.count {
                if index + 2 < set.count, set[index + 1] == "-" {
                    if set[index] <= name[n] && name[n] <= set[index + 2] { found = true }
                    index += 3
                } else {
                    if set[index] == name[n] { found = true }
                    index += 1
                }
            }
            return found != negated && matches(pattern, close + 1, name, n + 1)
        default:
            return n < name.count && pattern[p] == name[n] && matches(pattern, p + 1, name, n + 1)
        }
    }
}
