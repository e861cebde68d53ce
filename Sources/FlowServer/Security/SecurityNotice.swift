import FlowCore
public import Logging

extension ServerConfiguration {
    /// Whether the server listens only on the loopback interface, out of other machines' reach.
    public var listensOnLoopbackOnly: Bool {
        let host = host.lowercased()
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// Logs at start whether API keys guard the server: a notice naming how many keys (never the keys) when
    /// they do, and a warning when they do not and the server listens beyond loopback, where anyone who
    /// reaches the address can run every flow.
    public func logAuthentication(to logger: Logger) {
        if !apiKeys.isEmpty {
            logger.notice(
                "API key authentication is on: every route but /health and /ready needs a key",
                metadata: [LogKey.apiKeys: "\(apiKeys.count)"]
            )
        } else if !listensOnLoopbackOnly {
            logger.warning(
                "no API keys are set and the server listens on \(host): anyone who reaches it can run every flow; set FLOWLANG_API_KEYS",
                metadata: [LogKey.host: "\(host)", LogKey.port: "\(port)"]
            )
        }
    }
}
