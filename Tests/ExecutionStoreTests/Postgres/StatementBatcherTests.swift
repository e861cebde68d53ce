import Synchronization
import Testing

@testable import FlowPostgres

@Suite struct StatementBatcherTests {
    /// The batches a batcher sent, in order; the first waits for ``release()`` when `holdFirst`.
    final class Sent: Sendable {
        let batches = Mutex<[[String]]>([])
        let gate = AsyncStream.makeStream(of: Void.self)
        let holdFirst: Bool

        init(holdFirst: Bool = false) { self.holdFirst = holdFirst }

        func send(_ writes: [String]) async throws -> [String] {
            let first = batches.withLock { batches in
                batches.append(writes)
                return batches.count == 1
            }
            if first, holdFirst {
                for await _ in gate.stream { break }
            }
            if writes.count > 1, writes.contains("refused") { throw Refused() }
            if writes == ["refused"] { throw Refused() }
            return writes.map { $0.uppercased() }
        }

        func release() { gate.continuation.yield() }
    }

    struct Refused: Error {}

    @Test func writesMadeWhileEveryBatchIsBeingSentGoTogetherInTheNext() async throws {
        let sent = Sent(holdFirst: true)
        let batcher = StatementBatcher<String, String>(maxInFlight: 1, maxBatch: 100, send: sent.send)
        let running = Task { await batcher.run() }
        defer { running.cancel() }
        do {
            async let first = batcher.submit("a")
            while sent.batches.withLock({ $0.count }) < 1 { await Task.yield() }
            let later = (1...5).map { "w\($0)" }
            try await withThrowingTaskGroup(of: (String, String).self) { writers in
                for write in later { writers.addTask { (write, try await batcher.submit(write)) } }
                while batcher.queued < later.count { await Task.yield() }
                sent.release()
                for try await (write, outcome) in writers { #expect(outcome == write.uppercased()) }
            }
            #expect(try await first == "A")
            #expect(sent.batches.withLock { $0.map(\.count) } == [1, 5])
        }
    }

    @Test func aWriteTheDatabaseRefusesFailsOnlyItsOwnCaller() async throws {
        let sent = Sent(holdFirst: true)
        let batcher = StatementBatcher<String, String>(maxInFlight: 1, maxBatch: 100, send: sent.send)
        let running = Task { await batcher.run() }
        defer { running.cancel() }
        do {
            async let first = batcher.submit("first")
            while sent.batches.withLock({ $0.count }) < 1 { await Task.yield() }
            async let before = batcher.submit("b")
            while batcher.queued < 1 { await Task.yield() }
            async let refused = batcher.submit("refused")
            while batcher.queued < 2 { await Task.yield() }
            async let after = batcher.submit("c")
            while batcher.queued < 3 { await Task.yield() }
            sent.release()
            #expect(try await first == "FIRST")
            #expect(try await before == "B")
            #expect(try await after == "C")
            do {
                _ = try await refused
                Issue.record("the refused write succeeded")
            } catch {
                #expect(error is Refused)
            }
            #expect(sent.batches.withLock { $0 } == [["first"], ["b", "refused", "c"], ["b"], ["refused"], ["c"]])
        }
    }

    @Test func writesFailOnceTheBatcherHasStopped() async throws {
        let sent = Sent()
        let batcher = StatementBatcher<String, String>(maxInFlight: 2, maxBatch: 100, send: sent.send)
        let running = Task { await batcher.run() }
        #expect(try await batcher.submit("x") == "X")
        running.cancel()
        await running.value
        await #expect(throws: StatementBatcherStopped.self) { try await batcher.submit("y") }
        #expect(sent.batches.withLock { $0 } == [["x"]])
    }

    @Test func noBatchHoldsMoreThanItsLimit() async throws {
        let sent = Sent(holdFirst: true)
        let batcher = StatementBatcher<String, String>(maxInFlight: 1, maxBatch: 3, send: sent.send)
        let running = Task { await batcher.run() }
        defer { running.cancel() }
        do {
            try await withThrowingTaskGroup(of: String.self) { writers in
                writers.addTask { try await batcher.submit("first") }
                while sent.batches.withLock({ $0.count }) < 1 { await Task.yield() }
                for index in 0..<7 { writers.addTask { try await batcher.submit("w\(index)") } }
                while batcher.queued < 7 { await Task.yield() }
                sent.release()
                var outcomes = 0
                for try await _ in writers { outcomes += 1 }
                #expect(outcomes == 8)
            }
            #expect(sent.batches.withLock { $0.map(\.count) } == [1, 3, 3, 1])
        }
    }

    @Test func writesOfOneKeyAreNeverSentTwoAtOnceAndKeepTheirOrder() async throws {
        let sent = Sent(holdFirst: true)
        let batcher = StatementBatcher<String, String>(maxInFlight: 2, maxBatch: 100, send: sent.send)
        let running = Task { await batcher.run() }
        defer { running.cancel() }
        let first = batcher.queue("r1", key: "r")
        while sent.batches.withLock({ $0.count }) < 1 { await Task.yield() }
        let second = batcher.queue("r2", key: "r")
        let other = batcher.queue("s1", key: "s")
        #expect(try await other.value() == "S1")
        #expect(sent.batches.withLock { $0 } == [["r1"], ["s1"]])
        sent.release()
        #expect(try await first.value() == "R1")
        #expect(try await second.value() == "R2")
        #expect(sent.batches.withLock { $0 } == [["r1"], ["s1"], ["r2"]])
    }

    @Test func aWriteThatMayWaitWaitsOneBatchUnlessAWriteOfItsKeyGoesNow() async throws {
        let sent = Sent(holdFirst: true)
        let batcher = StatementBatcher<String, String>(maxInFlight: 1, maxBatch: 100, send: sent.send)
        let running = Task { await batcher.run() }
        defer { running.cancel() }
        let first = batcher.queue("first")
        while sent.batches.withLock({ $0.count }) < 1 { await Task.yield() }
        let waiting = batcher.queue("s-journal", key: "s", mayWait: { true })
        let creation = batcher.queue("r-creation", key: "r", mayWait: { true })
        let end = batcher.queue("r-end", key: "r")
        while batcher.queued < 3 { await Task.yield() }
        sent.release()
        #expect(try await first.value() == "FIRST")
        #expect(try await creation.value() == "R-CREATION")
        #expect(try await end.value() == "R-END")
        #expect(try await waiting.value() == "S-JOURNAL")
        #expect(sent.batches.withLock { $0 } == [["first"], ["r-creation", "r-end"], ["s-journal"]])
    }

    @Test func aWriteThatMayWaitGoesAtOnceWhenNothingElseIsBeingSent() async throws {
        let sent = Sent()
        let batcher = StatementBatcher<String, String>(maxInFlight: 1, maxBatch: 100, send: sent.send)
        let running = Task { await batcher.run() }
        defer { running.cancel() }
        #expect(try await batcher.queue("alone", key: "a", mayWait: { true }).value() == "ALONE")
        #expect(sent.batches.withLock { $0 } == [["alone"]])
    }
}
