import HTTPTypes
import Hummingbird
import Synchronization

/// The routes a router serves, read from it once, on first use: the OpenAPI document lists them, and a request
/// no route answers is told a wrong method (405, with `Allow`) from an unknown path (404) by them.
///
/// Reading lazily means the listing holds every route however the controllers' registrations are ordered.
final class RouteListing: Sendable {
    /// One method on one path pattern.
    struct Route: Sendable {
        var method: HTTPRequest.Method
        var path: RouterPath
    }

    private enum State {
        case unread(@Sendable () -> [Route])
        case read([Route])
    }

    private let state: Mutex<State>

    init<Context: RequestContext>(_ router: Router<Context>) {
        // The router is mutated only while `buildApplication` registers routes. Afterwards the application
        // keeps just the responder built from it, so this closure is its only holder, and it runs once, on
        // the first request that needs the routes, which comes after `buildApplication` has returned.
        nonisolated(unsafe) let router = router
        state = Mutex(.unread { Self.routes(of: router) })
    }

    /// Every route of the router, in the router's order.
    var routes: [Route] {
        state.withLock { state in
            switch state {
            case .read(let routes):
                return routes
            case .unread(let read):
                let routes = read()
                state = .read(routes)
                return routes
            }
        }
    }

    /// The methods of the routes whose pattern matches `path`, in the router's order.
    func methods(matching path: String) -> [HTTPRequest.Method] {
        Self.methods(of: routes, matching: path)
    }

    /// The routes `router` serves now.
    static func routes<Context: RequestContext>(of router: Router<Context>) -> [Route] {
        router.routes.map { Route(method: $0.method, path: $0.path) }
    }

    /// The methods of those of `routes` whose pattern matches `path`, each once, in the order of `routes`.
    static func methods(of routes: [Route], matching path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        var methods: [HTTPRequest.Method] = []
        for route in routes where route.path.components.count == segments.count && !methods.contains(route.method) {
            if zip(route.path.components, segments).allSatisfy({ pattern, segment in pattern ~= segment }) {
                methods.append(route.method)
            }
        }
        return methods
    }
}
