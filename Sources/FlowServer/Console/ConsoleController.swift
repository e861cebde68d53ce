import FlowCore
import Foundation
import Hummingbird
import NIOPosix
import OrderedCollections

/// The web console on `/ui`: server-rendered pages of the flows, a flow, the executions and an execution,
/// its assets, the events of a run for the live page, and the API key form (``ConsoleKey``).
///
/// Pages read the catalog and the execution store as the API does; the script starts and cancels runs through
/// the API itself.
struct ConsoleController {
    let server: ServerContext

    /// The pages, their assets and the key form; `publicRoutes` learns which of them need no API key.
    func routes(publicRoutes: PublicRoutes) -> RouteCollection<FlowRequestContext> {
        let routes = RouteCollection(context: FlowRequestContext.self)
        routes.get("/ui") { _, _ in try await flowsPage() }
        routes.get("/ui/flows/:flow") { request, context in try await flowPage(request, context: context) }
        routes.get("/ui/executions") { request, _ in try await executionsPage(request) }
        routes.get("/ui/executions/:id") { _, context in try await executionPage(context) }
        routes.get("/ui/executions/:id/events") { _, context in try await events(context) }
        routes.get("/ui/assets/:name") { request, context in
            guard let asset = ConsoleAssets.all["/ui/assets/" + (context.parameters.get("name") ?? "")] else {
                throw APIError.detail(.notFound, "Not Found")
            }
            return ConsoleAssets.response(asset, to: request)
        }
        routes.get("/ui/key") { request, _ in
            ConsoleKey.prompt(
                next: request.uri.queryParameters.get("next").map { String($0) } ?? "/ui", message: nil, status: .ok)
        }
        routes.post("/ui/key") { request, _ in
            try await ConsoleKey.accept(
                request, keys: server.configuration.apiKeys, maxBodyBytes: server.configuration.maxBodyBytes)
        }
        for asset in ConsoleAssets.all.keys { publicRoutes.add(.get, asset) }
        publicRoutes.add(.get, "/ui/key")
        publicRoutes.add(.post, "/ui/key")
        return routes
    }

    private func flowsPage() async throws -> Response {
        var rows: [(ServedFlow, ConsoleFlowsPage.RecentRuns)] = []
        for flow in server.catalog.flows {
            let page = try await server.executions.store.executions(
                matching: ExecutionQuery(flow: flow.name, limit: ConsoleFlowsPage.recentRuns)
            )
            rows.append((flow, ConsoleFlowsPage.RecentRuns(page.records)))
        }
        return ConsoleHTML.response(ConsoleFlowsPage.html(rows, problems: server.catalog.reloadProblems))
    }

    private func flowPage(_ request: Request, context: some RequestContext) async throws -> Response {
        let name = try Self.parameter("flow", context)
        guard let flow = server.catalog.flow(named: name) else {
            return ConsoleHTML.response(
                Self.missing(
                    "Flow not found", "No flow named <code>\(ConsoleHTML.escape(name))</code> is served here."),
                status: .notFound)
        }
        var values = OrderedDictionary<String, FlowValue>()
        if let id = request.uri.queryParameters.get("run"),
            let record = try await server.executions.store.record(id: ExecutionID(rawValue: String(id))),
            record.flowName == flow.name
        {
            values = record.inputs
        }
        let source = await Self.source(of: flow.definition)
        let problems = server.catalog.reloadProblems[flow.name] ?? []
        return ConsoleHTML.response(ConsoleFlowPage.html(flow, source: source, problems: problems, values: values))
    }

    private func executionsPage(_ request: Request) async throws -> Response {
        let query = try ExecutionQuery(request: request)
        let page = try await server.executions.store.executions(matching: query)
        var parameters: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { parameters[String(name)] = String(value) }
        let flows = Array(Set(server.catalog.flows.map(\.name))).sorted()
        return ConsoleHTML.response(
            ConsoleExecutionsPage.html(page, query: query, flows: flows, parameters: parameters))
    }

    private func executionPage(_ context: some RequestContext) async throws -> Response {
        let id = try Self.parameter("id", context)
        guard let record = try await server.executions.store.record(id: ExecutionID(rawValue: id)) else {
            return ConsoleHTML.response(ConsoleExecutionPage.notFound(id), status: .notFound)
        }
        let flow =
            record.flowVersion.flatMap { server.catalog.flow(named: record.flowName, version: $0) }
            ?? server.catalog.flow(named: record.flowName)
        return ConsoleHTML.response(ConsoleExecutionPage.html(record, flow: flow, now: Date()))
    }

    /// The run's events for the live page: what `…/executions/{id}/events` answers, under the console's path so
    /// that the browser's `EventSource` (which sends no headers) presents the console's cookie.
    private func events(_ context: some RequestContext) async throws -> Response {
        let id = try Self.parameter("id", context)
        guard let record = try await server.executions.store.record(id: ExecutionID(rawValue: id)) else {
            throw APIError.envelope(.notFound, "Execution not found: \(id)")
        }
        return try await ExecutionsController.events(of: record, server: server)
    }

    /// The flow's YAML, read on NIO's thread pool so that no request's executor waits on the disk; nil when the
    /// flow has no file or it cannot be read.
    static func source(of flow: FlowDefinition) async -> String? {
        guard let path = flow.sourcePath else { return nil }
        return try? await NIOThreadPool.singleton.runIfActive { try String(contentsOfFile: path, encoding: .utf8) }
    }

    /// The path parameter `name`, percent-decoded.
    private static func parameter(_ name: String, _ context: some RequestContext) throws -> String {
        let text = try context.parameters.require(name)
        return text.removingPercentEncoding ?? text
    }

    static func missing(_ title: String, _ message: String) -> String {
        ConsoleHTML.page(
            title: title, section: nil,
            body: "<h1>\(ConsoleHTML.escape(title))</h1><p>\(message)</p><p><a href=\"/ui\">All flows</a></p>")
    }
}
