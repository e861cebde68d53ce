import FlowCore
import HTTPTypes
import Hummingbird
import Synchronization

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

    /// `id: <position>` and the event's frame: the position (from 1) of the event in its execution's events,
    /// which a reconnecting `EventSource` sends back as `Last-Event-ID`.
    static func frame(_ event: ExecutionEvent, position: Int) -> ByteBuffer {
        ByteBuffer(string: "id: \(position)\nevent: \(event.name)\ndata: \(event.payload.jsonText)\n\n")
    }

    /// The position a reconnecting client last received (`Last-Event-ID`), or 0.
    static func lastEventPosition(_ request: Request) -> Int {
        guard let name = HTTPField.Name("Last-Event-ID"), let value = request.headers[name], let position = Int(value),
            position > 0
        else {
            return 0
        }
        return position
    }

    /// A comment line that keeps idle connections alive and reveals disconnected clients.
    static let ping = ByteBuffer(string: ": ping\n\n")

    /// How many sends (a frame, or a batch of a followed run's frames) may wait for a client that reads slowly,
    /// besides a replay of past events.
    static let maxPendingFrames = 1024

    /// A body that writes what `source` sends, with a ping every `pingInterval` of `clock`. Frames are written
    /// as soon as the socket takes them; those sent while a write is under way go out together in the next one,
    /// so a client following a fast run costs one write per burst of events, not one per event.
    ///
    /// A client that falls more than `maxPendingFrames` frames behind is not buffered for without bound: its
    /// stream ends with an `error` event saying so (`error_type` `SlowClient`), and it can replay the whole
    /// execution from `…/executions/{id}/events`. The execution itself goes on. When a write fails (the client
    /// went away) `onDisconnect` runs and `source` is cancelled; the body returns only after `source` has
    /// finished, so nothing it started is left behind.
    static func body(
        pingInterval: Duration,
        clock: any Clock<Duration>,
        maxPendingFrames: Int = maxPendingFrames,
        onDisconnect: @escaping @Sendable () -> Void,
        source: @escaping @Sendable (FrameSink) async -> Void
    ) -> ResponseBody {
        ResponseBody { writer in
            let sink = FrameSink(limit: maxPendingFrames)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    await source(sink)
                    sink.finish()
                }
                group.addTask {
                    while true {
                        do {
                            try await clock.sleep(for: pingInterval)
                        } catch {
                            return
                        }
                        sink.send(ping)
                    }
                }
                do {
                    while let frames = await sink.next() {
                        try await writer.write(frames)
                    }
                    if sink.overflowed {
                        try await writer.write(
                            frame(
                                name: "error",
                                data: [
                                    "error": .string(
                                        "The client read events too slowly: more than \(maxPendingFrames) were waiting; "
                                            + "replay them from the execution's events URL"
                                    ),
                                    "error_type": "SlowClient",
                                ]
                            )
                        )
                    }
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
