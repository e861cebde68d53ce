import FlowDevelopment
import FlowTesting
import Foundation
import Testing

@Suite("Watching files for changes")
struct WatchFileWatcherTests {
    let root: String
    let clock = ManualClock()
    let interval = Duration.milliseconds(100)

    init() throws {
        root = try makeWatchDirectory("watcher")
        try writeFile("flow: a\n", to: "flow.yaml", in: root)
        try writeFile("let a = 1\n", to: "Sources/Tasks/A.swift", in: root)
    }

    func watcher() -> FileWatcher {
        FileWatcher(
            root: root,
            patterns: [FilePattern("flow.yaml"), FilePattern("Sources/**/*.swift")],
            interval: interval,
            clock: clock
        )
    }

    /// Lets the watcher take one look: waits until it sleeps (so its previous look is over), then wakes it.
    /// Files must be written only while it sleeps, or the look may run before or after the write.
    func look() async {
        await clock.waitForSleepers(count: 1)
        clock.advance(by: interval)
    }

    @Test func burstOfWritesArrivesAsOneBatchOnceAQuietLookFollows() async throws {
        let changes = watcher().changes()
        try await withThrowingTaskGroup(of: FileChanges?.self) { group in
            group.addTask {
                var iterator = changes.makeAsyncIterator()
                return await iterator.next()
            }
            await clock.waitForSleepers(count: 1)
            try writeFile("flow: b\n", to: "flow.yaml", in: root)
            clock.advance(by: interval)
            await clock.waitForSleepers(count: 1)
            try writeFile("let b = 2\n", to: "Sources/Tasks/B.swift", in: root)
            try FileManager.default.removeItem(atPath: root + "/Sources/Tasks/A.swift")
            clock.advance(by: interval)
            await look()

            let batch = try #require(try await group.next() ?? nil)
            #expect(batch.modified == [root + "/flow.yaml"])
            #expect(batch.added == [root + "/Sources/Tasks/B.swift"])
            #expect(batch.removed == [root + "/Sources/Tasks/A.swift"])
        }
    }

    @Test func rewritingTheSameContentsOrUnwatchedFilesYieldsNothing() async throws {
        let changes = watcher().changes()
        try await withThrowingTaskGroup(of: FileChanges?.self) { group in
            group.addTask {
                var iterator = changes.makeAsyncIterator()
                return await iterator.next()
            }
            await clock.waitForSleepers(count: 1)
            try writeFile("flow: a\n", to: "flow.yaml", in: root)
            try writeFile("notes", to: "Sources/Tasks/README.md", in: root)
            try writeFile("let x = 1\n", to: ".build/debug/Generated.swift", in: root)
            clock.advance(by: interval)
            await look()
            await look()
            await clock.waitForSleepers(count: 1)
            try writeFile("let a = 3\n", to: "Sources/Tasks/A.swift", in: root)
            await look()
            await look()

            let batch = try #require(try await group.next() ?? nil)
            #expect(batch.all == [root + "/Sources/Tasks/A.swift"])
        }
    }

    @Test func cancellingTheConsumerEndsTheStream() async throws {
        let changes = watcher().changes()
        let consumer = Task {
            var count = 0
            for await _ in changes { count += 1 }
            return count
        }
        await clock.waitForSleepers(count: 1)
        consumer.cancel()
        #expect(await consumer.value == 0)
    }

    @Test func realFileWritesAreNoticedWithAShortRealInterval() async throws {
        let watcher = FileWatcher(root: root, patterns: [FilePattern("flow.yaml")], interval: .milliseconds(20))
        let changes = watcher.changes()
        let root = self.root
        let batch = try await withTimeout(.seconds(10), waitingFor: "a change batch") {
            try await withThrowingTaskGroup(of: FileChanges?.self) { group in
                group.addTask {
                    var iterator = changes.makeAsyncIterator()
                    return await iterator.next()
                }
                try writeFile("flow: edited\n", to: "flow.yaml", in: root)
                return try await group.next() ?? nil
            }
        }
        #expect(batch?.modified == [root + "/flow.yaml"])
    }

    @Test func mergingBatchesCancelsAnAddThenRemoveAndTurnsRemoveThenAddIntoModify() {
        let first = FileChanges(added: ["/a"], removed: ["/b"])
        let merged = first.followed(by: FileChanges(added: ["/b"], removed: ["/a"]))
        #expect(merged == FileChanges(modified: ["/b"]))
    }
}
