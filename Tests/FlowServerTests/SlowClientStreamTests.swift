import FlowCore
import FlowTesting
import HTTPTypes
import Hummingbird
import NIOCore
import OrderedCollections
import Synchronization
import Testing

@testable import FlowServer

/// A stream's frames wait for a slow client only up to a bound; then the stream ends saying why.
@Suite struct SlowClientStreamTests {
    /// Collects what a body writes; its first write waits until `opened` is resumed.
    final class GatedWriter: ResponseBodyWriter, Sendable {
        private let written = Mutex<[String]>([])
        let gate: AsyncStream<Void>

        init(gate: AsyncStream<Void>) { self.gate = gate }

        var frames: [String] { written.withLock { $0 } }

        func write(_ buffer: ByteBuffer) async throws {
            if frames.isEmpty { for await _ in gate { break } }
            written.withLock { $0.append(String(buffer: buffer)) }
        }

        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    static func event(_ n: Int) -> ExecutionEvent {
        ExecutionEvent(kind: .stepCompleted, executionId: "e", data: ["step_id": .string("s\(n)")])
    }

    @Test func aClientMoreThanTheBoundBehindGetsAnErrorEventAndTheStreamEnds() async throws {
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let writer = GatedWriter(gate: gate)
        let body = ServerSentEvents.body(
            pingInterval: .seconds(60), clock: ManualClock(), maxPendingFrames: 3, onDisconnect: {}
        ) { frames in
            for n in 1...10 { frames.send(ServerSentEvents.frame(Self.event(n))) }
            open.yield()
        }
        try await body.write(writer)
        #expect(writer.frames.count == 4)
        #expect(writer.frames.prefix(3).allSatisfy { $0.hasPrefix("event: step_completed\n") })
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
}
