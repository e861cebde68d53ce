import Foundation

/// How a plan is applied to a directory.
package enum ApplyMode: Sendable, Equatable {
    /// A new project; `force` also replaces generated files someone edited (after backing them up).
    case scaffold(force: Bool)
    /// An existing project: regenerate what flowlang owns, keep everything else.
    case update
}

/// One change to the directory.
enum FileOperation: Equatable {
    case write(path: String, contents: String, executable: Bool)
    /// Moves a file, rewriting its contents on the way (orphan header added or removed).
    case move(from: String, to: String, contents: String)
    /// Copies a file into the backup folder before it is replaced.
    case backup(path: String)
    /// Removes a file flowlang wrote itself (a stale `.flowlang-new`).
    case removeStale(path: String)
}

extension ScaffoldPlan {
    /// The header of a task file moved to the orphan folder.
    static func orphanHeader(task: String) -> String {
        """
        // ORPHANED by `flowlang update`: flow.yaml no longer calls the task '\(task)'. This file still compiles,
        // but the task is not registered. Delete the file when you no longer need it; if flow.yaml calls '\(task)'
        // again, `flowlang update` moves it back.

        """
    }

    static func removingOrphanHeader(_ contents: String) -> String {
        guard contents.hasPrefix("// ORPHANED by `flowlang update`") else { return contents }
        var lines = contents.split(separator: "\n", omittingEmptySubsequences: false)
        while let first = lines.first, first.hasPrefix("//") { lines.removeFirst() }
        if let first = lines.first, first.isEmpty { lines.removeFirst() }
        return lines.joined(separator: "\n")
    }

    /// Works out every change applying the plan to `directory` makes, reading but never writing.
    func operations(in directory: String, mode: ApplyMode) -> (
        operations: [FileOperation], report: MergeReport, manifest: Manifest
    ) {
        let files = DirectoryReader(root: directory)
        let previous = Manifest.load(from: directory)
        let force = mode == .scaffold(force: true)
        var operations: [FileOperation] = []
        var report = MergeReport()
        var manifest = Manifest(
            generator: "flowlang \(generatorVersion)", flow: layout.flowName, module: layout.module, files: [:],
            tasks: [:], orphans: [:])
        let current = Set(tasks.map(\.name))

        // Tasks flow.yaml no longer calls: their files (and tests) move to the orphan folders.
        for (name, record) in (previous?.tasks ?? [:]).sorted(by: { $0.key < $1.key }) where !current.contains(name) {
            if let contents = files.read(layout.taskFile(record.type)) {
                if files.exists(layout.orphanFile(record.type)) {
                    operations.append(.backup(path: layout.orphanFile(record.type)))
                    report.backedUp.append(layout.orphanFile(record.type))
                }
                operations.append(
                    .move(
                        from: layout.taskFile(record.type), to: layout.orphanFile(record.type),
                        contents: Self.orphanHeader(task: name) + contents))
                report.orphanedTasks.append(name)
                manifest.orphans[name] = record
            }
            if let test = files.read(layout.taskTestFile(record.type)) {
                operations.append(
                    .move(
                        from: layout.taskTestFile(record.type), to: layout.orphanTestFile(record.type),
                        contents: Self.orphanHeader(task: name) + test))
            }
        }
        for (name, record) in previous?.orphans ?? [:]
        where !current.contains(name) && files.exists(layout.orphanFile(record.type)) {
            manifest.orphans[name] = record
        }

        for file in self.files {
            switch file.policy {
            case .overwrite, .regenerate:
                guard let existing = files.read(file.path) else {
                    operations.append(.write(path: file.path, contents: file.contents, executable: file.isExecutable))
                    report.created.append(file.path)
                    manifest.files[file.path] = ContentHash.of(file.contents)
                    continue
                }
                let newVersion = layout.newVersionPath(for: file.path)
                let edited = previous?.files[file.path] != ContentHash.of(existing)
                // The reason is news only when this version differs from the one flowlang wrote or offered last.
                if existing != file.contents, previous?.files[file.path] != ContentHash.of(file.contents),
                    let reason = file.reason
                {
                    report.reasons[file.path] = reason
                }
                if existing == file.contents {
                    // Up to date.
                } else if !edited {
                    operations.append(.write(path: file.path, contents: file.contents, executable: file.isExecutable))
                    report.regenerated.append(file.path)
                } else if file.policy == .regenerate || force {
                    operations.append(.backup(path: file.path))
                    operations.append(.write(path: file.path, contents: file.contents, executable: file.isExecutable))
                    report.backedUp.append(file.path)
                    report.regenerated.append(file.path)
                } else {
                    if files.read(newVersion) != file.contents {
                        operations.append(.write(path: newVersion, contents: file.contents, executable: false))
                    }
                    report.leftAlone.append(MergeReport.LeftAlone(path: file.path, newVersion: newVersion))
                    manifest.files[file.path] = ContentHash.of(file.contents)
                    continue
                }
                if files.exists(newVersion) { operations.append(.removeStale(path: newVersion)) }
                manifest.files[file.path] = ContentHash.of(file.contents)
            case .createOnly:
                if files.exists(file.path) { continue }
                if let task = tasks.first(where: { layout.taskTestFile($0.typeName) == file.path }),
                    let orphaned = files.read(layout.orphanTestFile(task.typeName))
                {
                    operations.append(
                        .move(
                            from: layout.orphanTestFile(task.typeName), to: file.path,
                            contents: Self.removingOrphanHeader(orphaned)))
                    continue
                }
                operations.append(.write(path: file.path, contents: file.contents, executable: file.isExecutable))
                report.created.append(file.path)
            case .mergeTaskFile(let name):
                guard let task = tasks.first(where: { $0.name == name }) else { continue }
                manifest.tasks[name] = Manifest.TaskRecord(type: task.typeName, inputs: task.inputKeys)
                mergeTaskFile(
                    file, task: task, files: files, previous: previous, operations: &operations, report: &report,
                    manifest: &manifest)
            }
        }
        if !report.backedUp.isEmpty { report.backupDirectory = ProjectLayout.backupDirectory + "/<timestamp>" }
        return (operations, report, manifest)
    }

    private func mergeTaskFile(
        _ file: GeneratedFile,
        task: DiscoveredTask,
        files: DirectoryReader,
        previous: Manifest?,
        operations: inout [FileOperation],
        report: inout MergeReport,
        manifest: inout Manifest
    ) {
        var existing = files.read(file.path)
        var restored = false
        if existing == nil, let orphaned = files.read(layout.orphanFile(task.typeName)) {
            let contents = Self.removingOrphanHeader(orphaned)
            operations.append(.move(from: layout.orphanFile(task.typeName), to: file.path, contents: contents))
            report.restoredTasks.append(task.name)
            existing = contents
            restored = true
        }
        guard let existing else {
            operations.append(.write(path: file.path, contents: file.contents, executable: false))
            report.addedStubs.append(task.name)
            report.created.append(file.path)
            manifest.files[file.path] = ContentHash.of(file.contents)
            return
        }
        guard TaskFileInspector.isStub(existing) else {
            report.preservedTasks.append(task.name)
            let keys = TaskFileInspector.inputKeys(existing) ?? previous?.tasks[task.name]?.inputs ?? task.inputKeys
            let added = task.inputKeys.filter { !keys.contains($0) }
            let removed = keys.filter { !task.inputKeys.contains($0) }
            if !added.isEmpty || !removed.isEmpty {
                report.signatureChanges.append(
                    MergeReport.SignatureChange(task: task.name, added: added, removed: removed))
            }
            return
        }
        manifest.files[file.path] = ContentHash.of(file.contents)
        if existing == file.contents { return }
        let recorded = previous?.files[file.path]
        let edited = restored || recorded != ContentHash.of(existing)
        let signatureChanged = TaskFileInspector.inputKeys(existing) != task.inputKeys
        if !edited {
            operations.append(
                .write(
                    path: file.path, contents: Self.keepingImports(of: existing, in: file.contents), executable: false))
            report.regeneratedStubs.append(task.name)
        } else if signatureChanged {
            operations.append(.backup(path: file.path))
            operations.append(
                .write(
                    path: file.path, contents: Self.keepingImports(of: existing, in: file.contents), executable: false))
            report.backedUp.append(file.path)
            report.regeneratedStubs.append(task.name)
        } else {
            // An edited stub with the same inputs: the edits are kept.
            manifest.files[file.path] = recorded ?? ContentHash.of(file.contents)
        }
    }

    /// `generated`, plus every import line of `existing` it lacks (after its own imports).
    static func keepingImports(of existing: String, in generated: String) -> String {
        func isImport(_ line: Substring) -> Bool {
            let words = line.split(separator: " ")
            return words.contains("import")
                && (words.first == "import" || words.first?.hasPrefix("@") == true || words.first == "public"
                    || words.first == "internal")
        }
        var lines = generated.split(separator: "\n", omittingEmptySubsequences: false)
        let present = Set(lines.filter(isImport))
        let extra = existing.split(separator: "\n", omittingEmptySubsequences: false).filter {
            isImport($0) && !present.contains($0)
        }
        guard !extra.isEmpty else { return generated }
        let insertAt = (lines.lastIndex(where: isImport) ?? -1) + 1
        lines.insert(contentsOf: extra, at: insertAt)
        return lines.joined(separator: "\n")
    }
}

/// Reads files of the project directory by package-relative path.
struct DirectoryReader {
    let root: String

    func url(_ path: String) -> String { (root as NSString).appendingPathComponent(path) }

    func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: url(path)) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: url(path)) }

}
