import FlowCore
import HTTPTypes
import Hummingbird

/// Requires one of the server's API keys, as `X-API-Key: KEY` or `Authorization: Bearer KEY`, on every
/// route except the health probes and webhooks that carry their own `auth`.
///
/// A missing or wrong key is answered 401 in the server's error envelope with `WWW-Authenticate: Bearer`;
/// keys are compared in constant time and never logged.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let keys: APIKeySet
    /// Routes that need no key: `/health`, `/ready`, and the webhooks with their own authentication.
    let publicRoutes: PublicRoutes
    /// Whether the console is served: its pages also take the key from its cookie, and a request without a
    /// valid one gets the page that asks for it (``ConsoleKey``).
    var console = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if request.method == .options || publicRoutes.contains(request.method, request.uri.path) {
            return try await next(request, context)
        }
        if console, ConsoleKey.isConsolePath(request.uri.path) {
            if let key = ConsoleKey.presented(request.headers), keys.match(Substring(key)) != nil {
                return try await next(request, context)
            }
            return ConsoleKey.prompt(next: request.uri.description, message: nil)
        }
        switch APICredential(request.headers) {
        case .missing:
            throw Self.challenge("Missing API key: send it as X-API-Key or Authorization: Bearer")
        case .malformed:
            throw Self.challenge("Invalid Authorization header format. Expected: Bearer <token>")
        case .presented(let key):
            guard keys.match(key) != nil else { throw Self.challenge("Invalid API key") }
        }
        return try await next(request, context)
    }

    private static func challenge(_ message: String) -> APIError {
        var error = APIError.envelope(.unauthorized, message)
        error.headers[.wwwAuthenticate] = #"Bearer realm="flowlang""#
        return error
    }
}

/// The API key a request presents, if any.
enum APICredential: Equatable {
    case missing
    /// An `Authorization` header that is not `Bearer <token>`.
    case malformed
    case presented(Substring)

    static let headerName = HTTPField.Name("X-API-Key")!

    init(_ headers: HTTPFields) {
        if let key = headers[Self.headerName], !key.isEmpty {
            self = .presented(Substring(key))
        } else if let authorization = headers[.authorization], !authorization.isEmpty {
            let words = authorization.split(whereSeparator: \.isWhitespace)
            if words.count == 2, words[0].lowercased() == "bearer" {
                self = .presented(words[1])
            } else {
                self = .malformed
            }
        } else {
            self = .missing
        }
    }
}
