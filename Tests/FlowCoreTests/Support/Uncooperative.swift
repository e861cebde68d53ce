import FlowCore
import Logging
import Synchronization

/// A task body that ignores cancellation: it waits until the test calls ``release()``, and says when it started.
///
/// Stands in for a task that blocks in code the engine cannot interrupt, to show that deadlines still hold.
final class UncooperativeGate: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let startedStream: AsyncStream<Void>
    private let startedContinuation: AsyncStream<Void>.Continuation

    init() {
        (startedStream, startedContinuation) = AsyncStream.makeStream()
    }

    /// Waits, deaf to cancellation, until ``release()``.
    func wait() async {
        startedContinuation.yield()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let open = state.withLock { state -> Bool in
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if open { continuation.resume() }
        }
    }

    /// Lets every current and later ``wait()`` return.
    func release() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.isOpen = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Suspends until `count` calls of ``wait()`` have started.
    func waitUntilStarted(count: Int = 1) async {
        var seen = 0
        for await _ in startedStream {
            seen += 1
            if seen >= count { return }
        }
    }
}

/// Registers `Stubborn`, which waits on `gate` and then returns `{done: true}`, ignoring cancellation throughout.
func registerStubborn(in registry: inout TaskRegistry, gate: UncooperativeGate) {
    registry.register("Stubborn") { _, _ in
        await gate.wait()
        return ["done": true]
    }
}

/// A log handler that hands every record to a stream, so a test can await a message instead of sleeping.
struct StreamingLogHandler: LogHandler {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    let continuation: AsyncStream<Record>.Continuation
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    /// A logger at trace level and the stream of everything logged through it.
    static func logger() -> (Logger, AsyncStream<Record>) {
        let (stream, continuation) = AsyncStream<Record>.makeStream()
        let logger = Logger(label: "test") { _ in StreamingLogHandler(continuation: continuation) }
        return (logger, stream)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        continuation.yield(
            Record(level: event.level, message: event.message.description, metadata: event.metadata ?? [:]))
    }
}

extension AsyncStream where Element == StreamingLogHandler.Record {
    /// The first record whose message contains `fragment`.
    func first(containing fragment: String) async -> Element? {
        for await record in self where record.message.contains(fragment) { return record }
        return nil
    }
}
