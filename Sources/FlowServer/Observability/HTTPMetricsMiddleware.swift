import Hummingbird

/// Counts requests and times them by route template (`/flows/{flow}/execute`, never the raw path), method
/// and status; unknown routes share the route label `unmatched`, so the label set stays bounded.
///
/// The duration is the time to the response head; a stream's body is not included.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        let status: Int
        do {
            let response = try await next(request, context)
            status = response.status.code
            record(request, context: context, status: status, since: started)
            return response
        } catch let error as any HTTPResponseError {
            record(request, context: context, status: error.status.code, since: started)
            throw error
        } catch {
            record(request, context: context, status: 500, since: started)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: Int, since started: ContinuousClock.Instant) {
        // Hummingbird names the endpoint of a request no route matched "NotFound"; real routes start with "/".
        let route = context.endpointPath.flatMap { $0.hasPrefix("/") ? Self.template($0) : nil } ?? "unmatched"
        metrics.request(route: route, method: request.method.rawValue, status: status)
            .answered(after: ContinuousClock.now - started)
    }

    /// Hummingbird's `/flows/:flow/execute` as `/flows/{flow}/execute`, the OpenAPI spelling.
    static func template(_ endpoint: String) -> String {
        guard endpoint.contains(":") else { return endpoint }
        return endpoint.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
    }
}
