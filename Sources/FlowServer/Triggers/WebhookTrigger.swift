import FlowCore
import Foundation
public import HTTPTypes
public import OrderedCollections

/// A `type: webhook` trigger: an HTTP route that runs the flow.
public struct WebhookTrigger: Sendable {
    /// The route, starting with `/`; `:name` or `{name}` segments are path parameters.
    public var path: String
    public var method: HTTPRequest.Method
    /// Whether the request is answered 202 at once while the flow runs in the background.
    public var isAsync: Bool
    public var inputMapping: WebhookInputMapping
    /// How callers authenticate; nil when anyone may call.
    public var auth: WebhookAuthConfiguration?

    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch]

    public init(
        path: String,
        method: HTTPRequest.Method = .post,
        isAsync: Bool = false,
        inputMapping: WebhookInputMapping = .body,
        auth: WebhookAuthConfiguration? = nil
    ) {
        self.path = path
        self.method = method
        self.isAsync = isAsync
        self.inputMapping = inputMapping
        self.auth = auth
    }

    init(reading reader: FieldReader) throws(TriggerDefinitionError) {
        guard let rawPath = try reader.string("path") else {
            throw reader.error("path", "is required, e.g. /webhooks/orders")
        }
        let trimmed = rawPath.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed != "/" else {
            throw reader.error("path", "must name a route, e.g. /webhooks/orders")
        }
        guard !trimmed.contains(where: { $0 == "?" || $0 == "#" || $0.isWhitespace }) else {
            throw reader.error("path", "'\(rawPath)' must not contain spaces, '?' or '#'")
        }
        var path = trimmed.hasPrefix("/") ? trimmed : "/" + trimmed
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        self.path = path
        if let methodName = try reader.string("method") {
            guard let method = Self.methods.first(where: { $0.rawValue == methodName.uppercased() }) else {
                throw reader.error("method", "unsupported method '\(methodName)' (use GET, POST, PUT, DELETE or PATCH)")
            }
            self.method = method
        } else {
            method = .post
        }
        isAsync = try reader.bool("async") ?? false
        inputMapping = try WebhookInputMapping(reading: reader)
        auth = try WebhookAuthConfiguration(reading: reader)
    }
}

/// Which parts of a webhook request become the flow's inputs.
public enum WebhookInputMapping: Sendable, Hashable {
    /// The JSON body's members (a non-object body becomes `{"body": value}`).
    case body
    /// The query parameters, as strings.
    case query
    /// Every header, names in lower case.
    case headers
    /// The path parameters.
    case path
    /// `{"body", "query", "headers", "path"}`.
    case all
    /// Each input taken from one place of the request.
    case inputs(OrderedDictionary<String, WebhookValueSource>)

    init(reading reader: FieldReader) throws(TriggerDefinitionError) {
        guard let value = reader.fields["input_mapping"], !value.isNull else {
            self = .body
            return
        }
        switch value {
        case .string(let name):
            switch name.lowercased() {
            case "body": self = .body
            case "query": self = .query
            case "headers": self = .headers
            case "path": self = .path
            case "all": self = .all
            default:
                throw reader.error(
                    "input_mapping",
                    "unknown mapping '\(name)' (use body, query, headers, path, all, "
                        + "or a map of input name to source such as body.order.id)"
                )
            }
        case .object(let members):
            var sources = OrderedDictionary<String, WebhookValueSource>()
            for (input, source) in members {
                guard let text = source.stringValue else {
                    throw reader.error(
                        "input_mapping.\(input)", "must be a source such as body.order.id, found \(source.kindName)")
                }
                do {
                    sources[input] = try WebhookValueSource(text)
                } catch {
                    throw reader.error("input_mapping.\(input)", error.message)
                }
            }
            self = .inputs(sources)
        default:
            throw reader.error(
                "input_mapping", "must be a mapping name or a map of input name to source, found \(value.kindName)")
        }
    }
}

/// Where one input of a webhook run comes from: `body`, `body.order.id`, `body.items.0`, `headers.x-id`,
/// `query.page` or `path.id`.
public struct WebhookValueSource: Sendable, Hashable, CustomStringConvertible {
    /// The part of the request.
    public enum Root: String, Sendable, CaseIterable {
        case body
        case query
        case headers
        case path
    }

    public var root: Root
    /// Member names (or array indexes) below the root.
    public var keys: [String]

    /// Parses `root.key.key`; the error says what is wrong.
    public init(_ text: String) throws(WebhookValueSourceError) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        guard let first = parts.first, let root = Root(rawValue: first.lowercased()) else {
            throw WebhookValueSourceError(
                message:
                    "'\(text)' must start with body, query, headers or path (e.g. body.order.id, headers.x-request-id)"
            )
        }
        guard !parts.dropFirst().contains(where: \.isEmpty) else {
            throw WebhookValueSourceError(message: "'\(text)' has an empty key")
        }
        self.root = root
        keys = parts.dropFirst().map { root == .headers ? $0.lowercased() : String($0) }
        guard root == .body || keys.count <= 1 else {
            throw WebhookValueSourceError(message: "'\(text)': \(root.rawValue) values are strings and have no members")
        }
    }

    public var description: String { ([root.rawValue] + keys).joined(separator: ".") }
}

/// A webhook value source that does not parse.
public struct WebhookValueSourceError: Error, Sendable {
    public var message: String
}

/// How a webhook's callers prove who they are.
public enum WebhookAuthConfiguration: Sendable, Hashable {
    /// The secret in a header (`X-API-Key` by default).
    case apiKey(header: String, key: EnvironmentTemplate)
    /// `Authorization: Bearer <token>`.
    case bearer(token: EnvironmentTemplate)

    /// `api_key` or `bearer`.
    public var typeName: String {
        switch self {
        case .apiKey: "api_key"
        case .bearer: "bearer"
        }
    }

    init?(reading reader: FieldReader) throws(TriggerDefinitionError) {
        guard let value = reader.fields["auth"], !value.isNull else { return nil }
        guard case .object(let members) = value else {
            throw reader.error(
                "auth", "must be a map such as {type: api_key, header: X-API-Key, key: \"${WEBHOOK_KEY}\"}")
        }
        func secret(_ key: String) throws(TriggerDefinitionError) -> EnvironmentTemplate? {
            guard let raw = members[key], !raw.isNull else { return nil }
            guard let text = raw.stringValue, !text.isEmpty else {
                throw reader.error("auth.\(key)", "must be a non-empty string")
            }
            do {
                return try EnvironmentTemplate(text)
            } catch {
                throw reader.error("auth.\(key)", error.message)
            }
        }
        switch members["type"]?.stringValue?.lowercased() {
        case "api_key"?, "apikey"?:
            var header = "X-API-Key"
            if let raw = members["header"], !raw.isNull {
                guard let text = raw.stringValue, HTTPField.Name(text) != nil else {
                    throw reader.error("auth.header", "must be a valid header name")
                }
                header = text
            }
            guard let key = try secret("key") else {
                throw reader.error("auth.key", "is required for api_key auth, e.g. key: \"${WEBHOOK_KEY}\"")
            }
            self = .apiKey(header: header, key: key)
        case "bearer"?:
            let token = try secret("token")
            let key = try secret("key")
            guard let token = token ?? key else {
                throw reader.error("auth.token", "is required for bearer auth, e.g. token: \"${WEBHOOK_TOKEN}\"")
            }
            self = .bearer(token: token)
        case let other?:
            throw reader.error("auth.type", "unknown auth type '\(other)' (use api_key or bearer)")
        case nil:
            throw reader.error("auth.type", "is required (api_key or bearer)")
        }
    }
}
