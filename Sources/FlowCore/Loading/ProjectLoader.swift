import Foundation
import OrderedCollections
import Yams

/// Reads `project.yaml` files.
public enum ProjectLoader {
    static let keys = ["name", "description", "version", "tags", "contact", "flows", "shared_connections", "settings"]

    static let settingsKeys = ["shared_connections", "tags", "contact"]

    /// Loads the project file at `path`; the project's directory is the file's directory.
    ///
    /// - Parameters:
    ///   - environment: the variables for `${env.VAR}` in `shared_connections`; the process's when nil.
    ///   - requiresEnvironment: whether a shared connection using an unset variable is an error (servers) or a
    ///     warning that leaves it out (see ``FlowLoader/requiresEnvironment``).
    public static func load(
        contentsOf path: String,
        environment: [String: String]? = nil,
        requiresEnvironment: Bool = false
    ) throws(FlowLoadError) -> ProjectDefinition {
        let directory = (path as NSString).deletingLastPathComponent
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw FlowLoadError(diagnostics: [
                Diagnostic(.error, "the project file cannot be read", at: .start(of: path))
            ])
        }
        let root: Node
        do {
            guard let document = try Parser(yaml: text, resolver: .basic).singleRoot() else {
                throw FlowLoadError(diagnostics: [Diagnostic(.error, "the project file is empty", at: .start(of: path))]
                )
            }
            root = document
        } catch let error as FlowLoadError {
            throw error
        } catch let error as YamlError {
            throw FlowLoadError(diagnostics: [FlowLoader.diagnostic(for: error, file: path)])
        } catch {
            throw FlowLoadError(diagnostics: [Diagnostic(.error, "invalid YAML: \(error)", at: .start(of: path))])
        }
        let reader = YAMLReader(file: path, valueBudget: 100_000)
        guard let entries = reader.entries(of: root, what: "the project file") else {
            throw FlowLoadError(diagnostics: reader.diagnostics)
        }
        reader.checkKeys(entries, allowed: keys, in: "the project file")
        let byKey = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        var project = ProjectDefinition(
            name: (directory as NSString).lastPathComponent,
            directory: directory
        )
        if let node = byKey["name"], let name = reader.string(node, what: "'name'") { project.name = name }
        if let node = byKey["description"] { project.description = reader.string(node, what: "'description'") }
        if let node = byKey["version"] { project.version = reader.string(node, what: "'version'") }
        if let node = byKey["tags"], case .array(let tags)? = reader.value(node) {
            project.tags = tags.map(\.interpolationText)
        }
        if let node = byKey["contact"] { project.contact = reader.value(node) }
        let connections = ConnectionsBuilder(
            reader: reader,
            environment: environment ?? ProcessInfo.processInfo.environment,
            requiresEnvironment: requiresEnvironment,
            baseDirectory: directory
        )
        if let node = byKey["shared_connections"] { project.sharedConnections = connections.build(node) }
        if let settings = byKey["settings"], let entries = reader.entries(of: settings, what: "'settings'") {
            reader.checkKeys(entries, allowed: settingsKeys, in: "'settings'")
            if let node = entries.first(where: { $0.key == "shared_connections" })?.value {
                project.sharedConnections.merge(connections.build(node)) { _, fromSettings in fromSettings }
            }
        }
        if reader.hasErrors { throw FlowLoadError(diagnostics: reader.diagnostics) }
        return project
    }
}
