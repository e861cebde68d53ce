import FlowCore
import Hummingbird

/// `GET /executions`: executions of every flow, newest first, filtered and paginated with an opaque cursor.
struct ExecutionListController {
    let server: ServerContext

    /// `/executions`.
    var routes: RouteCollection<FlowRequestContext> {
        let routes = RouteCollection(context: FlowRequestContext.self)
        routes.get("/executions") { request, _ in
            let page = try await server.executions.store.executions(matching: try ExecutionQuery(request: request))
            return Response.json(Self.json(page))
        }
        return routes
    }

    /// `{"executions": [summaries], "count", "next_cursor"}`.
    static func json(_ page: ExecutionPage) -> FlowValue {
        [
            "executions": .array(page.records.map(ExecutionsController.summary)),
            "count": .int(page.records.count),
            "next_cursor": page.next.map { .string($0.token) } ?? .null,
        ]
    }
}
