import Hummingbird

extension Router where Context: RemoteAddressRequestContext {
    /// Adds, as configured and in this order: per-client rate limiting, API key authentication and the
    /// limit on concurrent executions. Each is left out when its setting is off.
    func addSecurityMiddleware(
        configuration: ServerConfiguration,
        admission: ExecutionAdmission,
        publicRoutes: PublicRoutes,
        clock: any Clock<Duration>
    ) {
        if let limit = configuration.rateLimit {
            add(
                middleware: RateLimitMiddleware(
                    limiter: RateLimiter(limit: limit, clock: clock), keys: configuration.apiKeys))
        }
        if !configuration.apiKeys.isEmpty {
            add(
                middleware: APIKeyMiddleware(
                    keys: configuration.apiKeys, publicRoutes: publicRoutes, console: configuration.console))
        }
        if admission.limit != nil {
            add(middleware: ExecutionLimitMiddleware(admission: admission))
        }
    }
}
