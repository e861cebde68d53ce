import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// Forwards one request to a backend on loopback and streams its response back unchanged, so Server-Sent
/// Events pass through as they are written.
struct FlowProxy: Sendable {
    /// Headers that describe one connection, not the message; never forwarded.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
        "content-length",
    ]

    let client: HTTPClient

    /// Sends `request` to `http://127.0.0.1:<port>` with the same method, path, query, headers and body.
    func forward(_ request: Request, toPort port: Int) async throws -> Response {
        var outgoing = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(request.uri.description)")
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where !Self.hopByHop.contains(field.name.canonicalName) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        if Self.hasBody(request) {
            let length = request.headers[.contentLength].flatMap(Int64.init)
            outgoing.body = .stream(request.body, length: length.map { .known($0) } ?? .unknown)
        }
        // The client retries refused connections until a request's deadline, and a streamed response has none:
        // a quick connect first answers 502 at once while a backend is down or still building.
        guard await DoctorProbes.connectSucceeds(host: "127.0.0.1", port: port) else {
            throw HTTPError(
                .badGateway,
                message: "the server behind this flow (127.0.0.1:\(port)) is not running; it may still be building")
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(outgoing, deadline: .distantFuture)
        } catch {
            throw HTTPError(.badGateway, message: "the server behind this flow (127.0.0.1:\(port)) did not answer")
        }
        var headers = HTTPFields()
        for (name, value) in response.headers where !Self.hopByHop.contains(name.lowercased()) {
            if let fieldName = HTTPField.Name(name) { headers.append(HTTPField(name: fieldName, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase),
            headers: headers,
            body: ResponseBody(asyncSequence: response.body)
        )
    }

    /// Whether the request carries a body to stream.
    static func hasBody(_ request: Request) -> Bool {
        if let length = request.headers[.contentLength], let bytes = Int(length) { return bytes > 0 }
        return request.headers[.transferEncoding] != nil
    }
}
