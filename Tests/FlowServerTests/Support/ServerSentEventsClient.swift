import AsyncHTTPClient
import FlowCore
import Foundation
import NIOCore
import NIOHTTP1
import OrderedCollections
import Testing

/// One Server-Sent Events frame: the text between two blank lines.
struct SSEFrame: Sendable, CustomStringConvertible {
    /// The `event:` field, nil for comment-only frames such as `: ping`.
    var event: String?
    /// The `data:` lines, in order.
    var dataLines: [String]
    /// Comment lines without the leading `:` and space.
    var comments: [String]
    /// The frame as received, without the terminating blank line.
    var raw: String

    init(raw: Substring) {
        self.raw = String(raw)
        var event: String?
        var dataLines: [String] = []
        var comments: [String] = []
        for line in raw.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") {
                comments.append(String(line.dropFirst()).trimmingLeadingSpace())
            } else if line.hasPrefix("event:") {
                event = String(line.dropFirst("event:".count)).trimmingLeadingSpace()
            } else if line.hasPrefix("data:") {
                dataLines.append(String(line.dropFirst("data:".count)).trimmingLeadingSpace())
            }
        }
        self.event = event
        self.dataLines = dataLines
        self.comments = comments
    }

    /// The `id:` field, nil when the frame has none.
    var id: String? {
        raw.split(separator: "\n").first { $0.hasPrefix("id:") }.map {
            String($0.dropFirst("id:".count)).trimmingLeadingSpace()
        }
    }

    /// The data parsed as JSON, nil when absent or not JSON.
    var data: FlowValue? { dataLines.isEmpty ? nil : try? FlowValue(json: dataLines.joined(separator: "\n")) }

    /// Whether this is a `: ping` keep-alive comment.
    var isPing: Bool { event == nil && comments.contains("ping") }

    /// Whether the frame ends an execution's stream.
    var isTerminal: Bool { ["flow_completed", "flow_failed", "flow_cancelled", "error"].contains(event ?? "") }

    var description: String { raw }
}

extension String {
    fileprivate func trimmingLeadingSpace() -> String { hasPrefix(" ") ? String(dropFirst()) : self }
}

/// Splitting a complete event-stream body into frames.
enum SSEText {
    /// The frames of `text`, separated by blank lines; an unterminated tail is returned as a frame too.
    static func frames(_ text: String) -> [SSEFrame] {
        text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { SSEFrame(raw: Substring($0)) }
    }

    /// The event names of `text`'s frames, pings left out.
    static func eventNames(_ text: String) -> [String] {
        frames(text).compactMap(\.event)
    }
}

/// Reads an event stream frame by frame as the bytes arrive over a real connection.
struct SSEReader {
    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private var buffer: [UInt8] = []
    /// Every frame read so far, pings included.
    private(set) var received: [SSEFrame] = []
    /// Whether the server ended the body.
    private(set) var ended = false

    init(_ response: HTTPClientResponse) {
        iterator = response.body.makeAsyncIterator()
    }

    /// The next frame, or nil when the body ended.
    mutating func next() async throws -> SSEFrame? {
        while true {
            if let end = Self.blankLine(in: buffer) {
                let frameBytes = buffer[..<end]
                buffer.removeSubrange(..<(end + 2))
                let frame = SSEFrame(raw: Substring(String(decoding: frameBytes, as: UTF8.self)))
                received.append(frame)
                return frame
            }
            guard let chunk = try await iterator.next() else {
                ended = true
                guard !buffer.isEmpty else { return nil }
                let frame = SSEFrame(raw: Substring(String(decoding: buffer, as: UTF8.self)))
                buffer.removeAll()
                received.append(frame)
                return frame
            }
            buffer.append(contentsOf: chunk.readableBytesView)
        }
    }

    /// Reads frames until one satisfies `condition` (returned last) or the stream ends (an issue is recorded).
    @discardableResult
    mutating func read(
        until condition: (SSEFrame) -> Bool,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws -> [SSEFrame] {
        var frames: [SSEFrame] = []
        while let frame = try await next() {
            frames.append(frame)
            if condition(frame) { return frames }
        }
        Issue.record(
            "the stream ended before the expected frame; got \(frames.map(\.raw))", sourceLocation: sourceLocation)
        return frames
    }

    /// Reads frames until the event named `name`.
    @discardableResult
    mutating func read(untilEvent name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws
        -> [SSEFrame]
    {
        try await read(until: { $0.event == name }, sourceLocation: sourceLocation)
    }

    /// Reads every remaining frame until the server ends the body.
    mutating func readToEnd() async throws -> [SSEFrame] {
        var frames: [SSEFrame] = []
        while let frame = try await next() { frames.append(frame) }
        return frames
    }

    private static func blankLine(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        for index in 0..<(bytes.count - 1)
        where bytes[index] == UInt8(ascii: "\n") && bytes[index + 1] == UInt8(ascii: "\n") {
            return index
        }
        return nil
    }
}

/// Requests over a real socket to an application started with `app.test(.live)`.
enum LiveHTTP {
    static func post(port: Int, path: String, body: String, contentType: String = "application/json") async throws
        -> HTTPClientResponse
    {
        var request = HTTPClientRequest(url: "http://localhost:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = .bytes(ByteBuffer(string: body))
        return try await HTTPClient.shared.execute(request, timeout: .seconds(120))
    }

    static func get(port: Int, path: String, headers: [(String, String)] = []) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: "http://localhost:\(port)\(path)")
        request.method = .GET
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        return try await HTTPClient.shared.execute(request, timeout: .seconds(120))
    }

    /// Opens `POST /flows/{flow}/execute/stream` with `{"inputs": inputs}`.
    static func stream(port: Int, flow: String, inputs: FlowValue = [:]) async throws -> HTTPClientResponse {
        try await post(
            port: port, path: "/flows/\(flow)/execute/stream", body: FlowValue.object(["inputs": inputs]).jsonText)
    }
}
