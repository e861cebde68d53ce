import Hummingbird
import Prometheus

/// `GET /metrics`: the server's registry in the Prometheus text format.
struct MetricsController {
    let metrics: ServerMetrics

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// `/metrics`.
    var routes: RouteCollection<FlowRequestContext> {
        let routes = RouteCollection(context: FlowRequestContext.self)
        routes.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = Self.contentType
            let bytes = metrics.registry.emitToBuffer()
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        return routes
    }
}
