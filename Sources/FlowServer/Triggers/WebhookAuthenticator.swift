import FlowCore
import HTTPTypes
import Hummingbird

/// Checks a webhook request's credentials against the trigger's resolved secret, in constant time.
struct WebhookAuthenticator: Sendable {
    enum Method: Sendable {
        case apiKey(header: HTTPField.Name, key: [UInt8])
        case bearer(token: [UInt8])
    }

    /// A secret that cannot be resolved; the webhook stays disabled.
    struct SetupError: Error {
        var field: String
        var message: String
    }

    let method: Method

    /// Resolves the configured secret's `${NAME}` references in `environment`.
    init(_ configuration: WebhookAuthConfiguration, environment: [String: String]) throws(SetupError) {
        switch configuration {
        case .apiKey(let header, let key):
            guard let name = HTTPField.Name(header) else {
                throw SetupError(field: "auth.header", message: "'\(header)' is not a header name")
            }
            method = .apiKey(header: name, key: try Self.resolve(key, field: "auth.key", environment: environment))
        case .bearer(let token):
            method = .bearer(token: try Self.resolve(token, field: "auth.token", environment: environment))
        }
    }

    private static func resolve(_ template: EnvironmentTemplate, field: String, environment: [String: String])
        throws(SetupError)
        -> [UInt8]
    {
        let secret: String
        do {
            secret = try template.resolve(in: environment)
        } catch {
            throw SetupError(field: field, message: error.message)
        }
        guard !secret.isEmpty else {
            throw SetupError(field: field, message: "'\(template.source)' resolves to an empty secret")
        }
        return Array(secret.utf8)
    }

    /// The header that carries the credential; kept out of the flow's inputs.
    var headerName: HTTPField.Name {
        switch method {
        case .apiKey(let header, _): header
        case .bearer: .authorization
        }
    }

    /// The `_auth` input of an authenticated request; a 401 envelope otherwise.
    func authenticate(_ headers: HTTPFields) throws(APIError) -> FlowValue {
        switch method {
        case .apiKey(let header, let key):
            guard let value = headers[header], !value.isEmpty else {
                throw .envelope(.unauthorized, "Missing authentication header: \(header.rawName)")
            }
            guard constantTimeEquals(Array(value.utf8), key) else { throw .envelope(.unauthorized, "Invalid API key") }
            return ["auth_type": "api_key", "authenticated": true]
        case .bearer(let token):
            guard let value = headers[.authorization], !value.isEmpty else {
                throw Self.bearerChallenge("Missing Authorization header")
            }
            let words = value.split(whereSeparator: \.isWhitespace)
            guard words.count == 2, words[0].lowercased() == "bearer" else {
                throw Self.bearerChallenge("Invalid Authorization header format. Expected: Bearer <token>")
            }
            guard constantTimeEquals(Array(words[1].utf8), token) else {
                throw Self.bearerChallenge("Invalid bearer token")
            }
            return ["auth_type": "bearer", "authenticated": true]
        }
    }

    private static func bearerChallenge(_ message: String) -> APIError {
        var error = APIError.envelope(.unauthorized, message)
        error.headers[.wwwAuthenticate] = "Bearer"
        return error
    }
}
