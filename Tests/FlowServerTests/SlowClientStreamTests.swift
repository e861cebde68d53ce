import FlowCore
import FlowTesting
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OrderedCollections
import Synchronization
import Testing

@testable import FlowServer

/// A stream's frames wait for a slow client only up to a bound; then the stream ends saying why. Frames sent
/// while a write is under way go out together in the next write.
@Suite struct SlowClientStreamTests {
    /// Collects what a body writes; its first write says it started, then waits until `gate` yields.
    final class GatedWriter: ResponseBodyWriter, Sendable {
        private let written = Mutex<[String]>([])
        let gate: AsyncStream<Void>
        let started: AsyncStream<Void>.Continuation?

        init(gate: AsyncStream<Void>, started: AsyncStream<Void>.Continuation? = nil) {
            self.gate = gate
            self.started = started
        }

        /// Each write's text.
        var writes: [String] { written.withLock { $0 } }

        /// The frames written, whichever write carried them.
        var frames: [String] {
            writes.joined().components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { $0 + "\n\n" }
        }

        func write(_ buffer: ByteBuffer) async throws {
            if writes.isEmpty {
                started?.yield()
                for await _ in gate { break }
            }
            written.withLock { $0.append(String(buffer: buffer)) }
        }

        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    static func event(_ n: Int) -> ExecutionEvent {
        ExecutionEvent(kind: .stepCompleted, executionId: "e", data: ["step_id": .string("s\(n)")])
    }

    @Test func aClientMoreThanTheBoundBehindGetsAnErrorEventAndTheStreamEnds() async throws {
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let (started, start) = AsyncStream.makeStream(of: Void.self)
        let writer = GatedWriter(gate: gate, started: start)
        let body = ServerSentEvents.body(
            pingInterval: .seconds(60), clock: ManualClock(), maxPendingFrames: 3, onDisconnect: {}
        ) { frames in
            frames.send(ServerSentEvents.frame(Self.event(1)))
            for await _ in started { break }
            for n in 2...10 { frames.send(ServerSentEvents.frame(Self.event(n))) }
            open.yield()
        }
        try await body.write(writer)
        #expect(writer.frames.count == 5, "the frame being written, the 3 waiting, then the error")
        #expect(writer.frames.prefix(4).allSatisfy { $0.hasPrefix("event: step_completed\n") })
        let last = try #require(writer.frames.last)
        #expect(last.hasPrefix("event: error\n"))
        #expect(last.contains(#""error_type":"SlowClient""#))
    }

    @Test func aReplayOfPastEventsIsNotCountedAgainstTheBound() async throws {
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let writer = GatedWriter(gate: gate)
        let body = ServerSentEvents.body(
            pingInterval: .seconds(60), clock: ManualClock(), maxPendingFrames: 3, onDisconnect: {}
        ) { frames in
            frames.sendReplay((1...20).map { ServerSentEvents.frame(Self.event($0)) })
            for n in 21...23 { frames.send(ServerSentEvents.frame(Self.event(n))) }
            open.yield()
        }
        try await body.write(writer)
        #expect(writer.frames.count == 23)
        #expect(!writer.frames.contains { $0.hasPrefix("event: error\n") })
    }

    @Test func framesSentWhileAWriteIsUnderWayGoOutTogetherInTheNextWrite() async throws {
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let (started, start) = AsyncStream.makeStream(of: Void.self)
        let writer = GatedWriter(gate: gate, started: start)
        let body = ServerSentEvents.body(
            pingInterval: .seconds(60), clock: ManualClock(), maxPendingFrames: 100, onDisconnect: {}
        ) { frames in
            frames.send(ServerSentEvents.frame(Self.event(1)))
            for await _ in started { break }
            for n in 2...5 { frames.send(ServerSentEvents.frame(Self.event(n))) }
            open.yield()
        }
        try await body.write(writer)
        #expect(writer.writes.count == 2)
        #expect(writer.frames.count == 5)
        #expect(writer.writes.last?.components(separatedBy: "event: step_completed\n").count == 5)
    }
}
