import HTTPTypes
import Synchronization

/// The routes that need no API key: the health probes, and webhooks with a literal path and their own
/// `auth`, which check their own credentials.
///
/// A webhook with `{parameters}` in its path still needs the API key: the server cannot tell before
/// routing whether such a path reaches the webhook or a built-in route.
final class PublicRoutes: Sendable {
    /// The liveness and readiness probes, never authenticated nor rate limited.
    static let probePaths: Set<String> = ["/health", "/ready"]

    private let routes = Mutex<Set<String>>(Set(probePaths.map { "GET \($0)" }))

    func add(_ method: HTTPRequest.Method, _ path: String) {
        let key = Self.key(method, path)
        _ = routes.withLock { $0.insert(key) }
    }

    func contains(_ method: HTTPRequest.Method, _ path: String) -> Bool {
        let key = Self.key(method, path)
        return routes.withLock { $0.contains(key) }
    }

    /// Adds the webhooks that were registered, authenticate themselves and have no path parameters.
    func addSelfAuthenticatedWebhooks(of triggers: TriggerRegistry) {
        for webhook in triggers.activeWebhooks where webhook.auth != nil {
            let path = webhook.trigger.path
            guard !path.contains("{"), !path.contains(":") else { continue }
            add(webhook.trigger.method, path)
        }
    }

    /// `"POST /a/b"`, with empty segments dropped so `/a/b/` and `/a//b` are the same route.
    private static func key(_ method: HTTPRequest.Method, _ path: String) -> String {
        "\(method.rawValue) /\(path.split(separator: "/").joined(separator: "/"))"
    }
}
