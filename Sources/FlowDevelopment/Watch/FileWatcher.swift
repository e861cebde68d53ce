import FlowCore
import Foundation
import NIOPosix
import Synchronization

/// Watches files under a directory by polling and yields what changed, in batches.
///
/// Every `interval` on `clock` the files matching `patterns` are checked: time and size first, contents (by
/// hash) only when those cannot prove a file unchanged, so a `touch` or a save without edits yields nothing.
/// Once a look finds changes, looks continue every `interval` until one finds nothing more, and everything seen
/// meanwhile is yielded as one ``FileChanges``: an editor's or a generator's burst of writes becomes one batch.
///
/// ```swift
/// let watcher = FileWatcher(root: directory, patterns: [FilePattern("flow.yaml"), FilePattern("Sources/**/*.swift")])
/// for await changes in watcher.changes() { … }
/// ```
/// Polling (rather than inotify) works the same on Linux and macOS and lets tests drive time with a manual
/// clock. Looks happen only while the consumer waits for the next batch, so edits made while it is busy (a
/// build, a run) arrive together in the next batch.
package struct FileWatcher: Sendable {
    package let root: String
    package let patterns: [FilePattern]
    package let interval: Duration
    package let clock: any Clock<Duration>

    /// - Parameters:
    ///   - root: the directory relative patterns start from.
    ///   - interval: how long to wait between two looks (positive; 120 ms by default).
    package init(
        root: String,
        patterns: [FilePattern],
        interval: Duration = .milliseconds(120),
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.root = root
        self.patterns = patterns
        self.interval = interval > .zero ? interval : .milliseconds(120)
        self.clock = clock
    }

    /// The batches of changes from now on. The files are first looked at when this is called; the stream ends
    /// when the task iterating it is cancelled.
    package func changes() -> AsyncStream<FileChanges> {
        let poller = Poller(watcher: self)
        return AsyncStream(unfolding: { await poller.nextBatch() })
    }

    /// Every file the patterns match right now, sorted.
    package func matchingFiles() -> [String] {
        Set(patterns.flatMap { $0.files(under: root) }).sorted()
    }

    /// The state between looks. Only one `nextBatch` runs at a time (the stream's consumer awaits each).
    private final class Poller: Sendable {
        let watcher: FileWatcher
        let known: Mutex<[String: FileFingerprint]>

        init(watcher: FileWatcher) {
            self.watcher = watcher
            var initial: [String: FileFingerprint] = [:]
            for path in watcher.matchingFiles() {
                if let fingerprint = FileFingerprint.read(path)?.fingerprint { initial[path] = fingerprint }
            }
            known = Mutex(initial)
        }

        /// Waits for a change, then for the burst to settle; `nil` once cancelled.
        func nextBatch() async -> FileChanges? {
            var batch = FileChanges()
            while true {
                do {
                    try await watcher.clock.sleep(for: watcher.interval)
                } catch {
                    return nil
                }
                // Walking the tree and hashing files blocks: on NIO's thread pool, not the cooperative one.
                guard let changes = try? await NIOThreadPool.singleton.runIfActive({ self.look() }) else { return nil }
                if changes.isEmpty, !batch.isEmpty { return batch }
                batch = batch.followed(by: changes)
            }
        }

        /// One look at every matching file, updating what is known. The files are read with no lock held; the
        /// lock only guards swapping the known fingerprints.
        func look() -> FileChanges {
            let files = watcher.matchingFiles()
            var known = self.known.withLock { $0 }
            var added: [String] = []
            var modified: [String] = []
            var seen = Set<String>()
            for path in files {
                seen.insert(path)
                let previous = known[path]
                if let previous, let status = FileFingerprint.stat(path),
                    !previous.mayDiffer(modified: status.modified, size: status.size)
                {
                    continue
                }
                guard let current = FileFingerprint.read(path)?.fingerprint else { continue }
                known[path] = current
                if let previous {
                    if !previous.sameContents(as: current) { modified.append(path) }
                } else {
                    added.append(path)
                }
            }
            let removed = known.keys.filter { !seen.contains($0) }
            for path in removed { known[path] = nil }
            self.known.withLock { [known] in $0 = known }
            return FileChanges(added: added, modified: modified, removed: removed)
        }
    }
}
