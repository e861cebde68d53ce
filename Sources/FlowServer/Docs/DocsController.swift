import FlowCore
import Hummingbird

/// `/openapi.json` (the OpenAPI 3.1 document), `/docs` (Swagger UI) and `/redoc` (ReDoc).
///
/// The document is built per request from the catalog, so reloaded flows show their new inputs, and from
/// the routes the router serves, so a route another controller adds is never missing from it.
struct DocsController {
    let server: ServerContext
    /// The routes of the router this controller is added to.
    let listing: RouteListing

    /// The document and its two viewers.
    var routes: RouteCollection<FlowRequestContext> {
        let routes = RouteCollection(context: FlowRequestContext.self)
        routes.get("/openapi.json") { _, _ in
            Response.json(document(listing).json)
        }
        routes.get("/docs") { _, _ in
            Response.html(DocsPages.swaggerUI(title: document(listing).title))
        }
        routes.get("/redoc") { _, _ in
            Response.html(DocsPages.redoc(title: document(listing).title))
        }
        return routes
    }

    private func document(_ listing: RouteListing) -> OpenAPIDocument {
        let routes = listing.routes.map { RegisteredRoute(method: $0.method.rawValue, path: $0.path.description) }
        var document = OpenAPIDocument(catalog: server.catalog, version: server.configuration.version, routes: routes)
        document.requiresAPIKey = !server.configuration.apiKeys.isEmpty
        document.rateLimited = server.configuration.rateLimit != nil
        return document
    }
}
