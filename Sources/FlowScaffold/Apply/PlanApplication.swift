import Foundation

extension ScaffoldPlan {
    /// What applying the plan to `directory` would do, without writing anything (`--dry-run`).
    package func preview(in directory: String, mode: ApplyMode) -> MergeReport {
        var report = operations(in: directory, mode: mode).report
        report.isDryRun = true
        return report
    }

    /// The changes applying the plan to `directory` would make, one line each: `create Package.swift`,
    /// `move Sources/…/Old.swift -> Sources/…/Orphaned/Old.swift`, ….
    package func plannedChanges(in directory: String, mode: ApplyMode) -> [String] {
        operations(in: directory, mode: mode).operations.map { operation in
            switch operation {
            case .write(let path, _, _):
                DirectoryReader(root: directory).exists(path) ? "rewrite \(path)" : "create  \(path)"
            case .move(let from, let to, _): "move    \(from) -> \(to)"
            case .backup(let path): "back up \(path) to \(ProjectLayout.backupDirectory)/<timestamp>/"
            case .removeStale(let path): "remove  \(path) (stale new version)"
            }
        } + ["write   \(ProjectLayout.manifestFile)"]
    }

    /// Writes the plan into `directory` (created if needed) by `mode`'s rules and records what it wrote in
    /// `.flowlang/manifest.json`.
    ///
    /// Never deletes or overwrites an implemented task's file; a file it must replace that someone edited is
    /// first copied to `.flowlang/backup/<timestamp>/`.
    @discardableResult
    package func apply(to directory: String, mode: ApplyMode) throws -> MergeReport {
        try apply(to: directory, mode: mode, now: Date())
    }

    /// ``apply(to:mode:)`` with the time that names the backup folder.
    func apply(to directory: String, mode: ApplyMode, now: Date) throws -> MergeReport {
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let (operations, report, manifest) = operations(in: directory, mode: mode)
        var result = report
        let reader = DirectoryReader(root: directory)
        var backupRoot: String?
        for operation in operations {
            switch operation {
            case .write(let path, let contents, let executable):
                try Self.write(contents, to: reader.url(path), executable: executable)
            case .move(let from, let to, let contents):
                let executable = fileManager.isExecutableFile(atPath: reader.url(from))
                try Self.write(contents, to: reader.url(to), executable: executable)
                try fileManager.removeItem(atPath: reader.url(from))
            case .backup(let path):
                let root = try backupRoot ?? Self.makeBackupDirectory(in: directory, now: now)
                backupRoot = root
                let destination = (reader.url(root) as NSString).appendingPathComponent(path)
                try fileManager.createDirectory(
                    atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                if fileManager.fileExists(atPath: destination) { try fileManager.removeItem(atPath: destination) }
                try fileManager.copyItem(atPath: reader.url(path), toPath: destination)
            case .removeStale(let path):
                try? fileManager.removeItem(atPath: reader.url(path))
            }
        }
        result.backupDirectory = backupRoot
        try Self.write(manifest.encoded(), to: reader.url(ProjectLayout.manifestFile), executable: false)
        return result
    }

    static func write(_ contents: String, to path: String, executable: Bool) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        try fileManager.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: path)
    }

    /// `.flowlang/backup/<UTC timestamp>`, package-relative, made unique.
    static func makeBackupDirectory(in directory: String, now: Date) throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let stamp = formatter.string(from: now)
        var candidate = "\(ProjectLayout.backupDirectory)/\(stamp)"
        var counter = 2
        while FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(candidate)) {
            candidate = "\(ProjectLayout.backupDirectory)/\(stamp)-\(counter)"
            counter += 1
        }
        try FileManager.default.createDirectory(
            atPath: (directory as NSString).appendingPathComponent(candidate),
            withIntermediateDirectories: true
        )
        return candidate
    }
}

/// Which of a project's tasks are implemented, read from the stub markers of their files.
package struct ProjectStatus: Sendable, Equatable {
    /// Tasks whose files no longer have the `flowlang:stub` line, sorted.
    package var implemented: [String]
    /// Tasks still stubs, or whose file is missing, sorted.
    package var pending: [String]
    /// Tasks moved to the orphan folder, sorted.
    package var orphaned: [String]

    /// `"3/5"`.
    package var progress: String { "\(implemented.count)/\(implemented.count + pending.count)" }
}

extension Scaffolder {
    /// The status of the flowlang project in `directory`; `nil` when it has no manifest.
    package static func status(of directory: String) -> ProjectStatus? {
        guard let manifest = Manifest.load(from: directory) else { return nil }
        let layout = ProjectLayout(flowName: manifest.flow)
        let reader = DirectoryReader(root: directory)
        var status = ProjectStatus(implemented: [], pending: [], orphaned: manifest.orphans.keys.sorted())
        for (name, record) in manifest.tasks.sorted(by: { $0.key < $1.key }) {
            if let contents = reader.read(layout.taskFile(record.type)), !TaskFileInspector.isStub(contents) {
                status.implemented.append(name)
            } else {
                status.pending.append(name)
            }
        }
        return status
    }
}
