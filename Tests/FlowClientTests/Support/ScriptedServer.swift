import FlowCore
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A bare Hummingbird server for answers a FlowLang server never gives on purpose: scripted statuses, bodies
/// that are not JSON, streams that break off.
enum ScriptedServer {
    /// Runs `test` against `router` served on a live port.
    @discardableResult
    static func run<Value: Sendable>(
        _ router: Router<BasicRequestContext>,
        _ test: @escaping @Sendable (_ port: Int) async throws -> Value
    ) async throws -> Value {
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            logger: LiveFlowServer.logger
        )
        return try await app.test(.live) { client in
            try await test(try #require(client.port))
        }
    }

    /// The execute response of a successful run with `outputs`.
    static func executed(_ outputs: FlowValue, id: String = "exec-1") -> Response {
        json(["success": true, "outputs": outputs, "error": nil, "flow": "Greet", "execution_id": .string(id)])
    }

    /// `value` as a JSON response.
    static func json(_ value: FlowValue, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response
    {
        var headers = extra
        headers[.contentType] = "application/json"
        return Response(
            status: status,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.jsonText))
        )
    }
}

/// Counts calls and remembers the headers of each request a scripted route received.
final class RequestLog: Sendable {
    private let requests = Mutex<[HTTPFields]>([])

    /// Records `request` and returns how many requests came before it.
    @discardableResult
    func record(_ request: Request) -> Int {
        requests.withLock { requests in
            requests.append(request.headers)
            return requests.count - 1
        }
    }

    var count: Int { requests.withLock { $0.count } }
    var headers: [HTTPFields] { requests.withLock { $0 } }
}
