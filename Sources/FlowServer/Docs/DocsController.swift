import FlowCore
import Hummingbird
import Synchronization

/// `/openapi.json` (the OpenAPI 3.1 document), `/docs` (Swagger UI) and `/redoc` (ReDoc).
///
/// The document is built per request from the catalog, so reloaded flows show their new inputs, and from
/// the routes the router serves, so a route another controller adds is never missing from it.
struct DocsController {
    let server: ServerContext

    func register(on router: Router<some RequestContext>, routes: RouteTable) {
        let listing = RouteListing(router)
        router.get("/openapi.json") { _, _ in
            Response.json(document(listing).json)
        }
        router.get("/docs") { _, _ in
            Response.html(DocsPages.swaggerUI(title: document(listing).title))
        }
        router.get("/redoc") { _, _ in
            Response.html(DocsPages.redoc(title: document(listing).title))
        }
        for path in ["/openapi.json", "/docs", "/redoc"] { routes.add(.get, path) }
    }

    private func document(_ listing: RouteListing) -> OpenAPIDocument {
        var document = OpenAPIDocument(
            catalog: server.catalog, version: server.configuration.version, routes: listing.routes)
        document.requiresAPIKey = !server.configuration.apiKeys.isEmpty
        document.rateLimited = server.configuration.rateLimit != nil
        return document
    }
}

/// The routes a router serves, read from it once, on first use.
///
/// Reading lazily means the listing holds every route however the controllers' registrations are ordered.
final class RouteListing: Sendable {
    private enum State {
        case unread(@Sendable () -> [RegisteredRoute])
        case read([RegisteredRoute])
    }

    private let state: Mutex<State>

    init<Context: RequestContext>(_ router: Router<Context>) {
        // The router is mutated only while `buildApplication` registers routes. Afterwards the application
        // keeps just the responder built from it, so this closure is its only holder, and it runs once, on
        // the first documentation request, which comes after `buildApplication` has returned.
        nonisolated(unsafe) let router = router
        state = Mutex(
            .unread {
                router.routes.map { RegisteredRoute(method: $0.method.rawValue, path: $0.path.description) }
            }
        )
    }

    /// Every route of the router, in the router's order.
    var routes: [RegisteredRoute] {
        state.withLock { state in
            switch state {
            case .read(let routes):
                return routes
            case .unread(let read):
                let routes = read()
                state = .read(routes)
                return routes
            }
        }
    }
}
