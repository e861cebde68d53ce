public import FlowCore
import Foundation
import OrderedCollections

/// Finds the flows to serve under a path: one flow's directory, or a directory of flows and projects.
public enum FlowDirectoryScanner {
    /// What a scan found.
    public struct Discovery: Sendable {
        public var flows: [ServedFlow]
        public var projects: [ProjectDefinition]
        /// Files that exist but do not load, with their diagnostics; they are skipped.
        public var problems: [FlowLoadError]
        /// Whether the path itself was one flow's directory (or a flow file).
        public var isSingleFlow: Bool
    }

    static let skippedDirectories: Set<String> = ["tests", "docs", "__pycache__", "node_modules", "Sources", "Tests"]

    /// Scans `path`. A path holding `flow.yaml` (or a `.yaml` file) is a single flow; otherwise every
    /// direct child directory with `flow.yaml` is a flow, and every child with `project.yaml` is a project
    /// whose child directories with `flow.yaml` are its flows. Names are sorted for a stable order.
    ///
    /// A flow directory without `flow.yaml` but with version directories (`v1/flow.yaml`, `v2/flow.yaml`)
    /// is a versioned flow: every version is served, the highest as the latest. `path` itself may be one.
    public static func scan(
        _ path: String,
        registry: TaskRegistry = TaskRegistry(),
        loader: FlowLoader = FlowLoader(requiresEnvironment: true)
    ) throws(ServerSetupError) -> Discovery {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ServerSetupError("'\(path)' does not exist")
        }
        if !isDirectory.boolValue {
            let flow = try loadSingle(path, registry: registry, loader: loader)
            return Discovery(flows: [flow], projects: [], problems: [], isSingleFlow: true)
        }
        let flowFile = (path as NSString).appendingPathComponent("flow.yaml")
        if fileManager.fileExists(atPath: flowFile) {
            let flow = try loadSingle(flowFile, registry: registry, loader: loader)
            return Discovery(flows: [flow], projects: [], problems: [], isSingleFlow: true)
        }
        var discovery = Discovery(flows: [], projects: [], problems: [], isSingleFlow: false)
        var seen: [String: String] = [:]
        func add(_ directory: String, project: ProjectDefinition?) {
            let file = (directory as NSString).appendingPathComponent("flow.yaml")
            guard fileManager.fileExists(atPath: file) else {
                addVersions(of: directory, project: project)
                return
            }
            do {
                let definition = try loader.load(contentsOf: file).applyingSharedConnections(
                    project?.sharedConnections ?? [:]
                )
                .requiringDeclaredConnections()
                guard claim(definition, file: file) else { return }
                discovery.flows.append(
                    ServedFlow(definition: definition, registry: registry, project: project?.name, directory: directory)
                )
            } catch {
                discovery.problems.append(error)
            }
        }
        /// Every version of one flow: all must have the same `flow:` name, claimed once.
        func addVersions(of directory: String, project: ProjectDefinition?) {
            var name: String?
            for (version, versionDirectory) in versionDirectories(of: directory) {
                let file = (versionDirectory as NSString).appendingPathComponent("flow.yaml")
                do {
                    let definition = try loader.load(contentsOf: file).applyingSharedConnections(
                        project?.sharedConnections ?? [:]
                    )
                    .requiringDeclaredConnections()
                    if let name, definition.name != name {
                        discovery.problems.append(
                            FlowLoadError(diagnostics: [
                                Diagnostic(
                                    .error,
                                    "version \(version) is named '\(definition.name)', but the other versions in \(directory) are named '\(name)'; skipped",
                                    at: definition.location
                                )
                            ])
                        )
                        continue
                    }
                    if name == nil {
                        guard claim(definition, file: file) else { return }
                        name = definition.name
                    }
                    discovery.flows.append(
                        ServedFlow(
                            definition: definition, registry: registry, project: project?.name,
                            directory: versionDirectory, version: version)
                    )
                } catch {
                    discovery.problems.append(error)
                }
            }
        }
        /// Records that `definition`'s name is served from `file`; false (and a problem) when it already is.
        func claim(_ definition: FlowDefinition, file: String) -> Bool {
            if let first = seen[definition.name] {
                discovery.problems.append(
                    FlowLoadError(diagnostics: [
                        Diagnostic(
                            .error, "flow '\(definition.name)' is already served from \(first); skipped",
                            at: definition.location)
                    ])
                )
                return false
            }
            seen[definition.name] = file
            return true
        }
        if !versionDirectories(of: path).isEmpty {
            add(path, project: nil)
            guard !discovery.flows.isEmpty else { throw noFlows(in: path, discovery.problems) }
            return discovery
        }
        for child in sortedChildDirectories(of: path) {
            let projectFile = (child as NSString).appendingPathComponent("project.yaml")
            if fileManager.fileExists(atPath: projectFile) {
                do {
                    let project = try ProjectLoader.load(
                        contentsOf: projectFile,
                        environment: loader.environment,
                        requiresEnvironment: loader.requiresEnvironment
                    )
                    discovery.projects.append(project)
                    for flowDirectory in sortedChildDirectories(of: child) { add(flowDirectory, project: project) }
                } catch {
                    discovery.problems.append(error)
                }
            } else {
                add(child, project: nil)
            }
        }
        guard !discovery.flows.isEmpty else { throw noFlows(in: path, discovery.problems) }
        return discovery
    }

    private static func noFlows(in path: String, _ problems: [FlowLoadError]) -> ServerSetupError {
        let details = problems.map(\.description).joined(separator: "\n")
        return ServerSetupError("No valid flows found in \(path)" + (details.isEmpty ? "" : ":\n" + details))
    }

    /// The version directories of a versioned flow (`v1`, `v2`, … holding `flow.yaml`), oldest first.
    /// Anything else, such as a `latest` link, is ignored: the highest version is the latest.
    static func versionDirectories(of path: String) -> [(version: String, directory: String)] {
        sortedChildDirectories(of: path)
            .compactMap { directory -> (version: String, directory: String)? in
                let name = (directory as NSString).lastPathComponent
                let file = (directory as NSString).appendingPathComponent("flow.yaml")
                guard FlowVersion.isLabel(name), FileManager.default.fileExists(atPath: file) else { return nil }
                return (name, directory)
            }
            .sorted { FlowVersion.precedes($0.version, $1.version) }
    }

    private static func loadSingle(_ file: String, registry: TaskRegistry, loader: FlowLoader) throws(ServerSetupError)
        -> ServedFlow
    {
        do {
            let definition = try loader.load(contentsOf: file).requiringDeclaredConnections()
            return ServedFlow(
                definition: definition, registry: registry, directory: (file as NSString).deletingLastPathComponent)
        } catch {
            throw ServerSetupError("the flow does not load:\n\(error.description)")
        }
    }

    private static func sortedChildDirectories(of path: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().compactMap { name in
            guard !name.hasPrefix("."), !skippedDirectories.contains(name) else { return nil }
            let child = (path as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: child, isDirectory: &isDirectory) && isDirectory.boolValue
                ? child : nil
        }
    }
}

/// The server cannot start: a missing path, a flow that does not load, nothing to serve.
public struct ServerSetupError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
