import Hummingbird
import Prometheus

/// `GET /metrics`: the server's registry in the Prometheus text format.
struct MetricsController {
    let metrics: ServerMetrics

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func register(on router: Router<some RequestContext>) {
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = Self.contentType
            let bytes = metrics.registry.emitToBuffer()
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
