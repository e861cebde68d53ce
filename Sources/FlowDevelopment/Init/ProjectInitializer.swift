package import FlowScaffold
import Foundation

/// `flowlang init`: a new project from a template, a starter flow.yaml scaffolded into a task package.
package enum ProjectInitializer {
    package struct Request: Sendable {
        /// The project directory; created when missing.
        package var directory: String
        package var template: ProjectTemplate
        /// The flow's name; `nil` derives it from the directory's name.
        package var name: String?
        /// Write into a non-empty directory (an existing flow.yaml is backed up first).
        package var force: Bool
        /// Where the package gets FlowLang; `nil` for the checkout `flowlang` was built from.
        package var flowLang: FlowLangDependency?
        package var generatorVersion: String

        package init(
            directory: String,
            template: ProjectTemplate = .hello,
            name: String? = nil,
            force: Bool = false,
            flowLang: FlowLangDependency? = nil,
            generatorVersion: String = "0.1.0"
        ) {
            self.directory = directory
            self.template = template
            self.name = name
            self.force = force
            self.flowLang = flowLang
            self.generatorVersion = generatorVersion
        }
    }

    /// What to print and how to exit.
    package struct Outcome: Sendable {
        package var text: String
        /// 0 done, 1 refused or failed, 2 bad arguments or an invalid flow.
        package var exitCode: Int32
    }

    /// Entries a new project's directory may already hold without being "not empty".
    static let ignoredEntries: Set<String> = [".git", ".DS_Store"]

    /// Writes the project; the outcome's text is what to print, its code how to exit (0 done, 1 refused, 2 bad
    /// arguments).
    package static func run(_ request: Request) -> Outcome {
        let fileManager = FileManager.default
        let directory = URL(fileURLWithPath: request.directory).standardizedFileURL.path
        let name = request.name ?? defaultName(for: directory)
        if let problem = nameProblem(name) {
            return Outcome(text: "error: \(problem)", exitCode: 2)
        }
        var isDirectory: ObjCBool = false
        var holdsIgnoredEntries = false
        if fileManager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                return Outcome(
                    text: "error: '\(request.directory)' is a file; choose a directory for the project", exitCode: 1)
            }
            let all = (try? fileManager.contentsOfDirectory(atPath: directory)) ?? []
            let entries = all.filter { !ignoredEntries.contains($0) }.sorted()
            holdsIgnoredEntries = entries.count < all.count
            if !entries.isEmpty, !request.force {
                let shown =
                    entries.prefix(6).joined(separator: ", ")
                    + (entries.count > 6 ? " and \(entries.count - 6) more" : "")
                return Outcome(
                    text: """
                        error: '\(request.directory)' is not empty (\(shown)). Choose a new or empty directory, or add \
                        --force to write the project there (replaced files are backed up to \(ProjectLayout.backupDirectory)/).
                        """,
                    exitCode: 1
                )
            }
        }
        let flowFile = (directory as NSString).appendingPathComponent("flow.yaml")
        do {
            try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            if fileManager.fileExists(atPath: flowFile) { try backUp(flowFile, in: directory) }
            try request.template.flowYAML(flowName: name).write(toFile: flowFile, atomically: true, encoding: .utf8)
        } catch {
            return Outcome(text: "error: cannot write \(flowFile): \(error.localizedDescription)", exitCode: 1)
        }
        let scaffolded = ProjectGenerator.scaffold(
            ProjectGenerator.Request(
                flowFile: flowFile,
                outputDirectory: directory,
                force: request.force || holdsIgnoredEntries,
                flowLang: request.flowLang,
                generatorVersion: request.generatorVersion
            )
        )
        let lines = [
            "Created \(flowFile) from the '\(request.template.rawValue)' template (flow '\(name)')",
            scaffolded.text,
        ]
        let serve =
            scaffolded.exitCode == 0
            ? ["  flowlang serve \(request.directory) --reload   # builds, serves, rebuilds on Swift edits"] : []
        return Outcome(text: (lines + serve).joined(separator: "\n"), exitCode: scaffolded.exitCode)
    }

    /// The directory's name as a flow name: `my-shop` → `MyShop`.
    static func defaultName(for directory: String) -> String {
        let module = ProjectLayout(flowName: (directory as NSString).lastPathComponent).module
        return module.first?.isLetter == true ? module : "Hello"
    }

    /// Why `name` cannot name a flow, or `nil`.
    static func nameProblem(_ name: String) -> String? {
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        guard let first = name.first, first.isASCII, first.isLetter, allowed else {
            return "--name '\(name)' must start with a letter and use only letters, digits, '_' and '-'"
        }
        return nil
    }

    static func backUp(_ file: String, in directory: String) throws {
        let backups = (directory as NSString).appendingPathComponent(ProjectLayout.backupDirectory)
        try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: true)
        let target = (backups as NSString).appendingPathComponent("flow.yaml")
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: file, toPath: target)
    }
}
