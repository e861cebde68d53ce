import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The events of one execution, read from the server as they arrive.
///
/// The request is sent when iteration starts. Iteration ends after the execution's final event
/// (`flow_completed`, `flow_failed`, `flow_cancelled` or `error`) once the server closes the stream; a flow that
/// fails does not make iteration throw, its `flow_failed` event says so. Iteration throws a ``FlowClientError``
/// when the stream cannot be opened (unknown flow, invalid inputs, …) and
/// ``FlowClientError/incompleteStream(_:)`` when it ends or breaks before the final event.
///
/// Cancelling the task that iterates a stream from `FlowClient.stream(flow:inputs:)` closes
/// the connection and cancels the execution on the server (`POST …/executions/{id}/cancel`), then throws
/// `CancellationError`. Leaving the loop early (`break`) only closes the connection; the server cancels the run
/// when it next writes to it.
public struct FlowEventStream: AsyncSequence, Sendable {
    public typealias Element = FlowEvent

    let transport: Transport
    /// The request, or why it could not be made (inputs that do not encode), reported by the first `next()`.
    let request: Result<Transport.Request, FlowClientError>
    /// Cancels the execution with this id on the server; `nil` when cancelling the reader leaves the run alone.
    let cancelExecution: (@Sendable (String) async -> Void)?

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(stream: self)
    }

    /// Reads events one at a time; not for use from several tasks at once.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private enum State {
            case idle
            case open(HTTPClientResponse.Body.AsyncIterator)
            case ended
        }

        private let stream: FlowEventStream
        private var state = State.idle
        private var parser: ServerSentEventParser
        private var pending: [FlowEvent] = []
        private var executionId: String?
        private var sawFinal = false

        init(stream: FlowEventStream) {
            self.stream = stream
            self.parser = ServerSentEventParser(maxEventBytes: stream.transport.configuration.maxResponseBytes)
        }

        public mutating func next() async throws -> FlowEvent? {
            while true {
                if !pending.isEmpty {
                    let event = pending.removeFirst()
                    if executionId == nil { executionId = event.executionId }
                    if event.isFinal { sawFinal = true }
                    return event
                }
                switch state {
                case .ended: return nil
                case .idle: try await open()
                case .open(var body): try await read(&body)
                }
            }
        }

        private mutating func open() async throws {
            do {
                let response = try await stream.transport.open(try stream.request.get())
                executionId = response.headers.first(name: "X-Execution-Id")
                state = .open(response.body.makeAsyncIterator())
            } catch {
                state = .ended
                throw error
            }
        }

        private mutating func read(_ body: inout HTTPClientResponse.Body.AsyncIterator) async throws {
            let chunk: ByteBuffer?
            do {
                chunk = try await body.next()
            } catch {
                try await end("the connection broke before the final event: \(TransportFailure(error).message)")
                return
            }
            guard let chunk else {
                try await end("the server ended the stream before the final event")
                return
            }
            state = .open(body)
            do {
                pending += try parser.feed(chunk)
            } catch {
                state = .ended
                throw error
            }
        }

        /// Ends the stream: cancels the run on the server when the reader was cancelled before the final event,
        /// and reports a stream that stopped too early.
        private mutating func end(_ incomplete: String) async throws {
            state = .ended
            if Task.isCancelled {
                if !sawFinal, let id = executionId, let cancel = stream.cancelExecution {
                    // The reading task is cancelled, so a request sent from it would be cancelled at once; an
                    // unstructured task is not cancelled with its creator. It is awaited here, never left behind.
                    await Task { await cancel(id) }.value
                }
                throw CancellationError()
            }
            if !sawFinal { throw FlowClientError.incompleteStream(incomplete) }
        }
    }
}
