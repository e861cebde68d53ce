import FlowCore
import HTTPTypes
import Hummingbird

/// Server-Sent Events framing and the streaming response body shared by execute/stream and event following.
enum ServerSentEvents {
    static var headers: HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        if let buffering = HTTPField.Name("X-Accel-Buffering") { headers[buffering] = "no" }
        return headers
    }

    /// `event: <name>\ndata: <one-line JSON>\n\n`.
    static func frame(name: String, data: FlowValue) -> ByteBuffer {
        ByteBuffer(string: "event: \(name)\ndata: \(data.jsonText)\n\n")
    }

    static func frame(_ event: ExecutionEvent) -> ByteBuffer {
        frame(name: event.name, data: event.payload)
    }

    /// A comment line that keeps idle connections alive and reveals disconnected clients.
    static let ping = ByteBuffer(string: ": ping\n\n")

    /// A body that writes what `source` yields, one flush per frame, with a ping every `pingInterval`.
    ///
    /// When a write fails (the client went away) `onDisconnect` runs and `source` is cancelled; the body
    /// returns only after `source` has finished, so nothing it started is left behind.
    static func body(
        pingInterval: Duration,
        onDisconnect: @escaping @Sendable () -> Void,
        source: @escaping @Sendable (AsyncStream<ByteBuffer>.Continuation) async -> Void
    ) -> ResponseBody {
        ResponseBody { writer in
            let (frames, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    await source(continuation)
                    continuation.finish()
                }
                group.addTask {
                    while true {
                        do {
                            try await Task.sleep(for: pingInterval)
                        } catch {
                            return
                        }
                        continuation.yield(ping)
                    }
                }
                do {
                    for await frame in frames { try await writer.write(frame) }
                } catch {
                    onDisconnect()
                    group.cancelAll()
                    throw error
                }
                group.cancelAll()
            }
            try await writer.finish(nil)
        }
    }
}
