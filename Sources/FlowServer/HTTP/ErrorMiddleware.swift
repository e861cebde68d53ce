import FlowCore
import Hummingbird
import Logging

/// Turns every error into a JSON response: envelopes for handler errors, FastAPI shapes for unknown routes
/// (404), wrong methods (405 with `Allow`) and oversized bodies (413), and a plain 500 that never leaks details.
///
/// Without `routes` every unknown route is a 404.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    var routes: RouteListing?

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
                let allowed = routes?.methods(matching: request.uri.path) ?? []
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
            context.logger.error(
                "request failed", metadata: [LogKey.error: "\(error)", LogKey.path: "\(request.uri.path)"])
            return APIError.envelope(.internalServerError, "Internal server error").response
        }
    }
}
