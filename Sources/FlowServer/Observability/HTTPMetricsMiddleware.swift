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
        metrics.request(endpoint: context.endpointPath, method: request.method.rawValue, status: status)
            .answered(after: ContinuousClock.now - started)
    }

}
