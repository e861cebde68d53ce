import NIOCore

/// Splits a Server-Sent Events byte stream into events.
///
/// Lines end with LF or CRLF; `event:` names the event, `data:` lines (joined by newlines) carry its data, a blank
/// line ends it, and comment lines (`: ping`) and other fields are skipped. Data that is not JSON is kept as a
/// string. An event cut off by the end of the stream is dropped, as the SSE specification says.
struct ServerSentEventParser {
    /// The longest event accepted, in bytes; a longer one fails the stream rather than growing without bound.
    let maxEventBytes: Int
    private var line: [UInt8] = []
    private var type: String?
    private var data: [String] = []
    private var eventBytes = 0

    init(maxEventBytes: Int) {
        self.maxEventBytes = maxEventBytes
    }

    /// The events that `chunk` completes, in order.
    mutating func feed(_ chunk: ByteBuffer) throws(FlowClientError) -> [FlowEvent] {
        var events: [FlowEvent] = []
        for byte in chunk.readableBytesView {
            guard byte == UInt8(ascii: "\n") else {
                line.append(byte)
                eventBytes += 1
                guard eventBytes <= maxEventBytes else {
                    throw .invalidResponse("an event is larger than \(maxEventBytes) bytes")
                }
                continue
            }
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if let event = take(line) { events.append(event) }
            line.removeAll(keepingCapacity: true)
        }
        return events
    }

    /// Handles one complete line; returns the event a blank line ends.
    private mutating func take(_ line: [UInt8]) -> FlowEvent? {
        guard !line.isEmpty else { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = Substring(text)
            value = ""
        }
        switch field {
        case "event": type = String(value)
        case "data": data.append(String(value))
        default: break
        }
        return nil
    }

    private mutating func dispatch() -> FlowEvent? {
        defer {
            type = nil
            data = []
            eventBytes = 0
        }
        guard type != nil || !data.isEmpty else { return nil }
        let text = data.joined(separator: "\n")
        let value: FlowValue = text.isEmpty ? .null : ((try? FlowValue(json: text)) ?? .string(text))
        return FlowEvent(type: type ?? "message", data: value)
    }
}
