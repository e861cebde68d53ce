// Hand-written rather than Hummingbird's `CORSMiddleware` (2.28.1), which cannot give the answers below; the tests
// in CORSTests pin each of them:
// - a request from an origin not in the list passes on untouched: `CORSMiddleware` answers every `OPTIONS` that
//   has an `Origin` with 204, allowed origin or not (then only without `Access-Control-Allow-Origin`);
// - only an `OPTIONS` with `Access-Control-Request-Method` is a preflight; any other `OPTIONS` is routed (405);
// - origins compare case-insensitively, and the answer names the origin as configured (`oneOf` compares exactly);
// - `Access-Control-Expose-Headers` goes on the actual responses, where browsers read it: `CORSMiddleware` sends
//   it only on preflights, so clients could not read `X-Execution-Id`, `Location` or `Retry-After`;
// - `Access-Control-Allow-Headers` keeps the headers' spelling (`X-API-Key`): `CORSMiddleware` writes their
//   lower-cased names.
// Even its preflight answer alone would change that last header, so no part of it is used.

import HTTPTypes
import Hummingbird

/// Cross-Origin Resource Sharing for browsers calling the API from the configured origins.
///
/// A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an allowed origin is
/// answered 204 with the allowed methods and headers, before authentication; other responses to an allowed
/// origin carry `Access-Control-Allow-Origin` and expose the headers clients read. Requests from other
/// origins get no CORS headers, so the browser refuses them. `*` allows any origin (without credentials).
struct CrossOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowedOrigins: [String]

    static var allowedMethods: String { "GET, POST, OPTIONS" }
    static var allowedHeaders: String { "Accept, Authorization, Content-Type, Last-Event-ID, Prefer, X-API-Key" }
    static var exposedHeaders: String {
        "Location, Retry-After, X-Execution-Id, X-RateLimit-Limit, X-RateLimit-Remaining"
    }
    static var requestMethodHeader: HTTPField.Name { .accessControlRequestMethod }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let origin = request.headers[.origin], let allowed = allowedOrigin(for: origin) else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers[Self.requestMethodHeader] != nil {
            var headers = HTTPFields()
            headers[.accessControlAllowOrigin] = allowed
            headers[.accessControlAllowMethods] = Self.allowedMethods
            headers[.accessControlAllowHeaders] = Self.allowedHeaders
            headers[.accessControlMaxAge] = "600"
            if allowed != "*" { headers[.vary] = "Origin" }
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = allowed
        response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        if allowed != "*" { response.headers[.vary] = "Origin" }
        return response
    }

    /// The `Access-Control-Allow-Origin` value for `origin`, or nil when it is not allowed.
    func allowedOrigin(for origin: String) -> String? {
        if allowedOrigins.contains("*") { return "*" }
        let origin = origin.lowercased()
        return allowedOrigins.first { $0.lowercased() == origin }
    }
}
