public import FlowCore
import Foundation
public import Logging
import NIOPosix
public import ServiceLifecycle

/// Hot reload for `flowlang serve --reload`: polls every served flow's file and swaps in a new definition
/// when an edit loads cleanly.
///
/// Every `interval` on `clock` each flow's file (the file it was loaded from, normally
/// `<directory>/flow.yaml`) is checked by modification time and size, and by a hash of its contents when those
/// cannot prove it unchanged. A changed file is loaded with `loader`:
/// * it loads → the catalog serves the new definition with the same tasks, project and directory, and any
///   earlier reload problem of the flow is cleared. Executions already running keep the definition they
///   started with.
/// * it does not load → the old definition stays, and the diagnostics (`file:line:col: error: …`) are
///   recorded in the catalog, where `/health` shows them under `reload_errors` until a later edit loads.
/// * it names a different flow (`flow:` changed) → the old definition stays and a problem says that renaming
///   needs a restart: URLs are built from flow names.
/// * it was removed → the old definition stays, with a problem, until the file is back.
///
/// Flows are only watched, never discovered: a new flow directory needs a restart.
///
/// ```swift
/// let reloader = FlowReloader(catalog: catalog, logger: logger)
/// let app = Application(router: router, services: [reloader], logger: logger)
/// ```
/// It runs until graceful shutdown or cancellation and then returns.
public struct FlowReloader: Service {
    private let catalog: FlowCatalog
    private let interval: Duration
    private let clock: any Clock<Duration>
    private let loader: FlowLoader
    private let logger: Logger
    private let initial: [String: WatchedFile]

    /// One flow's file as last seen; `fingerprint` is `nil` while the file is missing.
    struct WatchedFile: Sendable {
        var path: String
        var fingerprint: FileFingerprint?
    }

    /// Takes the first look at every flow's file right away, so edits made from now on are noticed.
    ///
    /// - Parameters:
    ///   - interval: how long to wait between two looks (positive; 500 ms by default).
    ///   - clock: the clock the waits run on; tests pass a manual one.
    ///   - loader: loads edited files, with the same limits as at startup.
    public init(
        catalog: FlowCatalog,
        interval: Duration = .milliseconds(500),
        clock: any Clock<Duration> = ContinuousClock(),
        loader: FlowLoader = FlowLoader(requiresEnvironment: true),
        logger: Logger
    ) {
        self.catalog = catalog
        self.interval = interval > .zero ? interval : .milliseconds(500)
        self.clock = clock
        self.loader = loader
        self.logger = logger
        var initial: [String: WatchedFile] = [:]
        for flow in catalog.flows {
            guard let path = Self.watchedPath(of: flow) else { continue }
            initial[flow.name] = WatchedFile(path: path, fingerprint: FileFingerprint.read(path)?.fingerprint)
        }
        self.initial = initial
    }

    /// Polls until graceful shutdown or cancellation.
    public func run() async throws {
        let paths = initial.values.map(\.path).sorted()
        logger.info(
            "watching flow files for changes",
            metadata: [LogKey.files: "\(paths.joined(separator: ", "))", LogKey.interval: "\(interval)"]
        )
        do {
            try await cancelWhenGracefulShutdown { [self] in
                var watched = initial
                while true {
                    try await clock.sleep(for: interval)
                    // Reading and hashing files blocks: on NIO's thread pool, not the cooperative one.
                    watched = try await NIOThreadPool.singleton.runIfActive { [self, watched] in
                        var next = watched
                        reloadChangedFlows(&next)
                        return next
                    }
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// The file a flow was loaded from: its source path, else `flow.yaml` in its directory.
    static func watchedPath(of flow: ServedFlow) -> String? {
        if let source = flow.definition.sourcePath { return source }
        guard let directory = flow.directory else { return nil }
        return (directory as NSString).appendingPathComponent("flow.yaml")
    }

    /// One look at every flow's file; reloads the changed ones.
    func reloadChangedFlows(_ watched: inout [String: WatchedFile]) {
        for flow in catalog.flows {
            guard let path = Self.watchedPath(of: flow) else { continue }
            let previous = watched[flow.name]
            if let fingerprint = previous?.fingerprint, let status = FileFingerprint.stat(path),
                !fingerprint.mayDiffer(modified: status.modified, size: status.size)
            {
                continue
            }
            guard let current = FileFingerprint.read(path) else {
                if previous == nil || previous?.fingerprint != nil { fileRemoved(flow, path: path) }
                watched[flow.name] = WatchedFile(path: path, fingerprint: nil)
                continue
            }
            watched[flow.name] = WatchedFile(path: path, fingerprint: current.fingerprint)
            if let old = previous?.fingerprint, old.sameContents(as: current.fingerprint) { continue }
            reload(flow, from: path, contents: current.contents)
        }
    }

    private func reload(_ flow: ServedFlow, from path: String, contents: Data) {
        guard let text = String(data: contents, encoding: .utf8) else {
            failed(
                flow, path: path,
                [Diagnostic(.error, "the flow file cannot be read as UTF-8 text", at: .start(of: path))])
            return
        }
        var definition: FlowDefinition
        do {
            definition = try loader.load(yaml: text, file: path)
            if let project = catalog.projects.first(where: { $0.name == flow.project }) {
                definition = definition.applyingSharedConnections(project.sharedConnections)
            }
            definition = try definition.requiringDeclaredConnections()
        } catch {
            failed(flow, path: path, error.diagnostics)
            return
        }
        guard definition.name == flow.name else {
            failed(
                flow,
                path: path,
                [
                    Diagnostic(
                        .error,
                        "the flow is now named '\(definition.name)', but a served flow cannot be renamed while the "
                            + "server runs; '\(flow.name)' keeps its previous definition until the server restarts",
                        at: definition.location
                    )
                ]
            )
            return
        }
        catalog.replace(
            ServedFlow(
                definition: definition,
                registry: flow.registry,
                project: flow.project,
                directory: flow.directory,
                version: flow.version
            )
        )
        logger.info(
            "reloaded flow",
            metadata: [
                LogKey.flow: "\(flow.name)", LogKey.file: "\(path)", LogKey.warnings: "\(definition.warnings.count)",
                LogKey.tasks: "\(flow.registry.readiness(for: definition).progress)",
            ]
        )
    }

    private func fileRemoved(_ flow: ServedFlow, path: String) {
        failed(
            flow,
            path: path,
            [
                Diagnostic(
                    .error,
                    "the flow file is missing; the previous definition is served until the file is back",
                    at: .start(of: path)
                )
            ]
        )
    }

    private func failed(_ flow: ServedFlow, path: String, _ diagnostics: [Diagnostic]) {
        catalog.recordReloadProblems(diagnostics, for: flow.name)
        logger.warning(
            "flow edit not loaded; keeping the previous definition",
            metadata: [
                LogKey.flow: "\(flow.name)", LogKey.file: "\(path)",
                LogKey.diagnostics: "\(diagnostics.map(\.description).joined(separator: "\n"))",
            ]
        )
    }
}
