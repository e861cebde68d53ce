import Foundation
import Synchronization

/// Finds and loads the flow a `subflow:` step names.
public protocol SubflowLoader: Sendable {
    /// The flow called `name` from `parent`.
    func loadSubflow(named name: String, calledFrom parent: FlowDefinition) throws(FlowRunError) -> FlowDefinition
}

/// Looks subflows up on disk next to the calling flow and caches them by path.
///
/// For a name `N` and the calling flow's directory `B` (or `baseDirectory` for flows loaded from text),
/// the first of these that exists wins: `B/N/flow.yaml`, `B/N.yaml`, `B/../N/flow.yaml`,
/// `B/../../N/flow.yaml`, `B/../../../N/flow.yaml`. Names are case-sensitive.
public final class FileSubflowLoader: SubflowLoader {
    private let baseDirectory: String?
    private let loader: FlowLoader
    private let cache = Mutex<[String: FlowDefinition]>([:])

    public init(baseDirectory: String? = nil, loader: FlowLoader = FlowLoader()) {
        self.baseDirectory = baseDirectory
        self.loader = loader
    }

    public func loadSubflow(named name: String, calledFrom parent: FlowDefinition) throws(FlowRunError)
        -> FlowDefinition
    {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw FlowRunError("Subflow name '\(name)' must be a plain name, not a path")
        }
        let (root, candidates) = Self.candidates(for: name, calledFrom: parent.sourcePath, baseDirectory: baseDirectory)
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw FlowRunError(
                "Subflow '\(name)' not found. Searched in: \(root) and subdirectories "
                    + "(\(candidates.joined(separator: ", ")))"
            )
        }
        if let cached = cache.withLock({ $0[path] }) { return cached }
        do {
            // The run's call chain reports cycles at run time, so the child's own load-time check is skipped.
            var childLoader = loader
            childLoader.checksSubflowCycles = false
            let flow = try childLoader.load(contentsOf: path)
            cache.withLock { $0[path] = flow }
            return flow
        } catch {
            throw FlowRunError(
                "Invalid subflow at \(path): " + error.errors.map(\.description).joined(separator: "; "),
                type: "FlowValidationError"
            )
        }
    }

    /// The directory searched first and the files tried, in order, for the subflow `name` called from a flow
    /// loaded from `parentSourcePath` (or from text, when nil).
    static func candidates(for name: String, calledFrom parentSourcePath: String?, baseDirectory: String?)
        -> (root: String, paths: [String])
    {
        let base: String
        if let source = parentSourcePath {
            base = (source as NSString).deletingLastPathComponent
        } else {
            base = baseDirectory ?? FileManager.default.currentDirectoryPath
        }
        let relative = base.isEmpty ? "." : base
        let root =
            relative.hasPrefix("/")
            ? relative : (FileManager.default.currentDirectoryPath + "/" + relative as NSString).standardizingPath
        let paths = [
            "\(root)/\(name)/flow.yaml", "\(root)/\(name).yaml", "\(root)/../\(name)/flow.yaml",
            "\(root)/../../\(name)/flow.yaml", "\(root)/../../../\(name)/flow.yaml",
        ].map { ($0 as NSString).standardizingPath }
        return (root, paths)
    }

    /// The file the subflow `name` called from the flow file at `parentPath` resolves to, if any.
    static func resolve(_ name: String, calledFrom parentPath: String) -> String? {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else { return nil }
        return candidates(for: name, calledFrom: parentPath, baseDirectory: nil).paths
            .first { FileManager.default.fileExists(atPath: $0) }
    }
}
