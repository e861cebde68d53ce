package import AsyncHTTPClient
package import FlowCore
package import FlowServer
import Foundation
import HTTPTypes
package import Hummingbird
package import Logging
import NIOCore
import NIOHTTP1

/// The one address `flowlang serve --multi` answers on: `/flows/<name>/…` (every method, streaming) is
/// proxied to the backend serving that flow; `/`, `/health` and `/flows` aggregate every backend.
package enum MultiServeFront {
    /// The front application on `configuration`'s host and port.
    ///
    /// It limits each client's rate and checks API keys itself (``FlowServer`` gateway security), then
    /// proxies; the backends, started with the same settings, check the key again and enforce the rest.
    /// Its own routes (`/`, `/flows`) get CORS here; proxied answers carry the backends' CORS headers.
    package static func build(
        routes: MultiServeRoutes,
        configuration: ServerConfiguration,
        client: HTTPClient,
        logger: Logger
    ) -> some ApplicationProtocol {
        let router = Router(context: FlowRequestContext.self)
        router.addGatewaySecurity(configuration: configuration)
        router.add(middleware: ProxyMiddleware(routes: routes, proxy: FlowProxy(client: client)))
        router.addCrossOrigin(configuration: configuration)
        let fetch = fetcher(client, apiKey: configuration.apiKeys.anyKey)
        router.get("/") { _, _ in json(overview(routes)) }
        router.get("/health") { _, _ in
            let health = await aggregateHealth(routes, fetch: fetch)
            return json(health, status: health["status"] == "healthy" ? .ok : .serviceUnavailable)
        }
        router.get("/flows") { _, _ in json(await aggregateFlows(routes, fetch: fetch)) }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "FlowLang"
            ),
            logger: logger
        )
    }

    /// Reads a backend's JSON at a path; `nil` when it does not answer or answers something else.
    package typealias Fetch = @Sendable (_ port: Int, _ path: String) async -> FlowValue?

    /// Reads from backends, presenting `apiKey` when the servers require one.
    static func fetcher(_ client: HTTPClient, apiKey: String?) -> Fetch {
        { port, path in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
            if let apiKey { request.headers.add(name: "X-API-Key", value: apiKey) }
            guard await DoctorProbes.connectSucceeds(host: "127.0.0.1", port: port),
                let response = try? await client.execute(request, timeout: .seconds(5)),
                let body = try? await response.body.collect(upTo: 8 << 20)
            else { return nil }
            return try? FlowValue(json: String(buffer: body))
        }
    }

    /// `GET /`: what is served and where.
    package static func overview(_ routes: MultiServeRoutes) -> FlowValue {
        [
            "message": "FlowLang multi-package server",
            "server_type": "multi-package",
            "flows": .array(routes.flowNames.map(FlowValue.string)),
            "backends": .array(
                routes.backends.map { backend in
                    [
                        "name": .string(backend.label), "flows": .array(backend.flows.map(FlowValue.string)),
                        "port": .int(backend.port),
                    ]
                }
            ),
            "endpoints": [
                "health": "/health", "flows": "/flows", "flow": "/flows/{flow}",
                "docs": "/flows/{flow}/… (each backend serves /docs itself)",
            ],
        ]
    }

    /// `GET /flows`: every backend's list, in backend order; a backend that does not answer adds nothing.
    package static func aggregateFlows(_ routes: MultiServeRoutes, fetch: Fetch) async -> FlowValue {
        var flows: [FlowValue] = []
        for backend in routes.backends {
            if case .array(let listed)? = await fetch(backend.port, "/flows") { flows += listed }
        }
        return .array(flows)
    }

    /// `GET /health`: "healthy" when every backend answers its own `/health` as healthy, else "degraded" with
    /// the backends that do not.
    package static func aggregateHealth(_ routes: MultiServeRoutes, fetch: Fetch) async -> FlowValue {
        var entries: [FlowValue] = []
        var healthy = true
        for backend in routes.backends {
            let health = await fetch(backend.port, "/health")
            let up = health?["status"] == "healthy"
            healthy = healthy && up
            entries.append([
                "name": .string(backend.label), "flows": .array(backend.flows.map(FlowValue.string)),
                "status": up ? "healthy" : (health == nil ? "unreachable" : "unhealthy"), "health": health ?? .null,
            ])
        }
        return [
            "status": healthy ? "healthy" : "degraded", "server_type": "multi-package",
            "flows_count": .int(routes.flowNames.count), "backends": .array(entries),
        ]
    }

    static func json(_ value: FlowValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.jsonText))
        )
    }

    /// Sends `/flows/<name>/…` to its backend; everything else goes on to the front's own routes.
    struct ProxyMiddleware: RouterMiddleware {
        typealias Context = FlowRequestContext
        let routes: MultiServeRoutes
        let proxy: FlowProxy

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
            async throws -> Response
        {
            guard let flow = MultiServeRoutes.flowName(inPath: request.uri.path) else {
                return try await next(request, context)
            }
            guard let backend = routes.backend(serving: flow) else {
                let message = "Flow not found: \(flow). Available flows: \(routes.flowNames.joined(separator: ", "))"
                return json(["success": false, "error": .string(message), "status_code": 404], status: .notFound)
            }
            return try await proxy.forward(request, toPort: backend.port)
        }
    }
}
