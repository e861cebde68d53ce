import Hummingbird

extension Router where Context: RemoteAddressRequestContext {
    /// Adds, as configured and in this order: per-client rate limiting and API key authentication. Each is left
    /// out when its setting is off. The limit on concurrent executions is the execute routes' own
    /// (``ExecuteController/routes``).
    func addSecurityMiddleware(
        configuration: ServerConfiguration, publicRoutes: PublicRoutes, clock: any Clock<Duration>
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
    }
}
