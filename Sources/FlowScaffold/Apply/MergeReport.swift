/// What a scaffold or update did (or, for a dry run, would do), file by file and task by task.
package struct MergeReport: Sendable, Equatable {
    /// An implemented task whose `Input` no longer has the keys flow.yaml passes.
    package struct SignatureChange: Sendable, Equatable, CustomStringConvertible {
        package var task: String
        /// Keys flow.yaml passes that the `Input` lacks.
        package var added: [String]
        /// Keys the `Input` has that flow.yaml no longer passes.
        package var removed: [String]

        /// `ChargePayment (+currency, -token)`.
        package var description: String {
            "\(task) (" + (added.map { "+" + $0 } + removed.map { "-" + $0 }).joined(separator: ", ") + ")"
        }
    }

    /// A generated file you edited: kept, with the new version written elsewhere.
    package struct LeftAlone: Sendable, Equatable {
        package var path: String
        package var newVersion: String
    }

    /// Files that did not exist and were written.
    package var created: [String] = []
    /// Generated files rewritten with new contents.
    package var regenerated: [String] = []
    /// Generated files you edited, left alone.
    package var leftAlone: [LeftAlone] = []
    /// Why some of the written or offered files changed, by path.
    package var reasons: [String: String] = [:]
    /// Files copied to the backup folder before being replaced.
    package var backedUp: [String] = []
    /// Where backups went, when there were any.
    package var backupDirectory: String?
    /// Implemented tasks, whose files were not touched.
    package var preservedTasks: [String] = []
    /// New tasks that got a stub.
    package var addedStubs: [String] = []
    /// Stubs rewritten from the changed YAML.
    package var regeneratedStubs: [String] = []
    /// Tasks no longer in the YAML, moved to the orphan folder.
    package var orphanedTasks: [String] = []
    /// Orphaned tasks back in the YAML, moved back.
    package var restoredTasks: [String] = []
    package var signatureChanges: [SignatureChange] = []
    /// Whether nothing was written (a dry run).
    package var isDryRun = false

    package init() {}

    /// The merge summary `flowlang scaffold` and `update` print.
    package var summary: String {
        var lines: [String] = []
        lines.append("Merge summary\(isDryRun ? " (dry run: nothing written)" : ""):")
        lines.append("  preserved \(preservedTasks.count) implemented task(s)\(list(preservedTasks))")
        lines.append("  added \(addedStubs.count) stub(s)\(list(addedStubs))")
        lines.append("  regenerated \(regeneratedStubs.count) stub(s)\(list(regeneratedStubs))")
        lines.append("  orphaned \(orphanedTasks.count) task(s)\(list(orphanedTasks))")
        if !restoredTasks.isEmpty {
            lines.append("  restored \(restoredTasks.count) orphaned task(s)\(list(restoredTasks))")
        }
        lines.append(
            "  signatures changed: "
                + (signatureChanges.isEmpty ? "none" : signatureChanges.map(\.description).joined(separator: ", "))
        )
        lines.append("  files created: \(created.count)\(created.count <= 10 ? list(created) : "")")
        lines.append("  files regenerated: \(regenerated.count)\(list(regenerated))")
        for path in regenerated { if let reason = reasons[path] { lines.append("    \(path): \(reason)") } }
        lines.append("  files left alone: \(leftAlone.count)" + (leftAlone.isEmpty ? "" : " (you edited them)"))
        for file in leftAlone {
            lines.append(
                "    \(file.path): new version in \(file.newVersion)" + (reasons[file.path].map { " (\($0))" } ?? ""))
        }
        if let backupDirectory, !backedUp.isEmpty {
            lines.append("  backed up to \(backupDirectory): \(backedUp.joined(separator: ", "))")
        }
        if !signatureChanges.isEmpty {
            lines.append("Review the Input of each task whose signature changed: flow.yaml now passes different keys.")
        }
        return lines.joined(separator: "\n")
    }

    private func list(_ names: [String]) -> String {
        names.isEmpty ? "" : ": " + names.joined(separator: ", ")
    }
}
