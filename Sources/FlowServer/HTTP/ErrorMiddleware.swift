import FlowCore
import Hummingbird
import Logging
import Synchronization

/// Turns every error into a JSON response: envelopes for handler errors, FastAPI shapes for unknown routes
/// (404), wrong methods (405 with `Allow`) and oversized bodies (413), and a plain 500 that never leaks details.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response
        } catch let error as any HTTPResponseError {
            switch error.status {
            case .notFound:
                let allowed = routes.methods(matching: request.uri.path)
                if !allowed.isEmpty {
                    var headers = HTTPFields()
                    headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                    return APIError.detail(.methodNotAllowed, "Method Not Allowed", headers: headers).response
                }
                return APIError.detail(.notFound, "Not Found").response
            case .contentTooLarge:
                return APIError.envelope(.contentTooLarge, "Request body is larger than the server accepts").response
            default:
                let message = (error as? HTTPError)?.body ?? error.status.reasonPhrase
                return APIError.envelope(error.status, message).response
            }
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return APIError.envelope(.internalServerError, "Internal server error").response
        }
    }
}

/// The server's route patterns by method, to tell a wrong method (405) from an unknown path (404).
///
/// Filled while routes are registered, after the middleware that reads it was installed.
final class RouteTable: Sendable {
    private let routes = Mutex<[(segments: [Substring], method: HTTPRequest.Method)]>([])

    func add(_ method: HTTPRequest.Method, _ pattern: String) {
        routes.withLock { $0.append((pattern.split(separator: "/"), method)) }
    }

    /// Methods of the routes whose pattern matches `path`, in registration order.
    func methods(matching path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        var methods: [HTTPRequest.Method] = []
        for route in routes.withLock({ $0 }) where route.segments.count == segments.count {
            let matches = zip(route.segments, segments).allSatisfy { pattern, segment in
                pattern.hasPrefix(":") || pattern == segment
            }
            if matches && !methods.contains(route.method) { methods.append(route.method) }
        }
        return methods
    }
}
