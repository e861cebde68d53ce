package import Hummingbird

extension Router where Context: RemoteAddressRequestContext {
    /// The settings a gateway in front of FlowLang servers enforces itself (`flowlang serve --multi`): errors
    /// in the server's envelope, per-client rate limiting and API keys, both sparing `/health` and `/ready`.
    ///
    /// The gateway knows each client's address, which its backends, reached from loopback, do not: so it
    /// limits the rate, and the backends enforce everything else (they check the API key again).
    package func addGatewaySecurity(configuration: ServerConfiguration, clock: any Clock<Duration> = ContinuousClock())
    {
        add(middleware: ErrorMiddleware())
        if let limit = configuration.rateLimit {
            add(
                middleware: RateLimitMiddleware(
                    limiter: RateLimiter(limit: limit, clock: clock), keys: configuration.apiKeys))
        }
        if !configuration.apiKeys.isEmpty {
            add(middleware: APIKeyMiddleware(keys: configuration.apiKeys, publicRoutes: PublicRoutes()))
        }
    }

    /// CORS for the configured origins, on the routes added after it; nothing when no origin is configured.
    package func addCrossOrigin(configuration: ServerConfiguration) {
        guard !configuration.corsAllowedOrigins.isEmpty else { return }
        add(middleware: CrossOriginMiddleware(allowedOrigins: configuration.corsAllowedOrigins))
    }
}
