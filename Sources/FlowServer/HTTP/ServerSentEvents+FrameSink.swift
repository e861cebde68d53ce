import NIOCore
import Synchronization

extension ServerSentEvents {
    /// Where a stream's source sends its frames, and where its writer takes them: every frame sent since the
    /// writer last took, in one buffer. Counts the live frames waiting, so a client that reads too slowly is
    /// cut off instead of buffered for without bound.
    struct FrameSink: Sendable {
        private struct State: Sendable {
            var waiting = ByteBuffer()
            /// Live frames in `waiting`; replayed ones do not count against `limit`.
            var pending = 0
            let limit: Int
            var overflowed = false
            var finished = false
            var cancelled = false
            var writer: CheckedContinuation<ByteBuffer?, Never>?

            /// The writer and what it gets now (the waiting frames, or nil once finished), if it waits and
            /// something is there for it.
            mutating func wakeWriter() -> (CheckedContinuation<ByteBuffer?, Never>, ByteBuffer?)? {
                guard let writer else { return nil }
                if let frames = take() {
                    self.writer = nil
                    return (writer, frames)
                }
                guard finished || cancelled else { return nil }
                self.writer = nil
                return (writer, nil)
            }

            mutating func take() -> ByteBuffer? {
                guard waiting.readableBytes > 0 else { return nil }
                defer {
                    waiting = ByteBuffer()
                    pending = 0
                }
                return waiting
            }
        }

        private final class Shared: Sendable {
            let state: Mutex<State>

            init(limit: Int) {
                state = Mutex(State(limit: limit))
            }
        }

        private let shared: Shared

        init(limit: Int) {
            shared = Shared(limit: max(1, limit))
        }

        /// Sends `frame`, or ends the stream when too many are waiting already.
        func send(_ frame: ByteBuffer) {
            let woken = shared.state.withLock { state in
                guard !state.finished else { return nil as (CheckedContinuation<ByteBuffer?, Never>, ByteBuffer?)? }
                if state.pending < state.limit {
                    state.pending += 1
                    var frame = frame
                    state.waiting.writeBuffer(&frame)
                } else {
                    state.overflowed = true
                    state.finished = true
                }
                return state.wakeWriter()
            }
            if let (writer, frames) = woken { writer.resume(returning: frames) }
        }

        /// Sends a replay of past events: they may all wait, beyond the limit for live ones.
        func sendReplay(_ frames: [ByteBuffer]) {
            let woken = shared.state.withLock { state in
                guard !state.finished else { return nil as (CheckedContinuation<ByteBuffer?, Never>, ByteBuffer?)? }
                for var frame in frames { state.waiting.writeBuffer(&frame) }
                return state.wakeWriter()
            }
            if let (writer, frames) = woken { writer.resume(returning: frames) }
        }

        /// Ends the stream once the writer has taken what is waiting.
        func finish() {
            let woken = shared.state.withLock { state in
                state.finished = true
                return state.wakeWriter()
            }
            if let (writer, frames) = woken { writer.resume(returning: frames) }
        }

        /// Whether the stream was ended because the client fell too far behind.
        var overflowed: Bool { shared.state.withLock { $0.overflowed } }

        /// Every frame sent since the last call, waiting for one when there is none; nil once the stream ended
        /// and everything was taken, or when the calling task is cancelled. One writer at a time.
        func next() async -> ByteBuffer? {
            await withTaskCancellationHandler {
                await withCheckedContinuation { (writer: CheckedContinuation<ByteBuffer?, Never>) in
                    let ready = shared.state.withLock { state -> ByteBuffer?? in
                        if let frames = state.take() { return .some(frames) }
                        if state.finished || state.cancelled { return .some(nil) }
                        state.writer = writer
                        return .none
                    }
                    if let ready { writer.resume(returning: ready) }
                }
            } onCancel: {
                let woken = shared.state.withLock { state in
                    state.cancelled = true
                    return state.wakeWriter()
                }
                if let (writer, frames) = woken { writer.resume(returning: frames) }
            }
        }
    }
}
