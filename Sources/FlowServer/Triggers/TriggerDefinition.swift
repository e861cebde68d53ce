public import FlowCore
public import Foundation
public import HTTPTypes
public import OrderedCollections

/// One entry of a flow's `triggers:` list, checked and typed.
///
/// ```yaml
/// triggers:
///   - type: webhook
///     id: new_order                 # optional; default <Flow>_<type>_<position>
///     path: /webhooks/orders
///     method: POST                  # GET, POST, PUT, DELETE or PATCH; default POST
///     async: false                  # true answers 202 with the execution id at once
///     input_mapping:                # or one of body (default), query, headers, path, all
///       order_id: body.order.id
///       request_id: headers.x-request-id
///     auth: {type: api_key, header: X-API-Key, key: "${WEBHOOK_KEY}"}   # or {type: bearer, token: ...}
///   - type: schedule
///     cron: "*/5 * * * *"
///     timezone: Europe/Berlin       # default UTC
///     inputs: {report: daily}       # fixed inputs of every scheduled run
///     max_instances: 1              # runs of this trigger allowed at once; more are skipped
///     enabled: true
/// ```
public struct TriggerDefinition: Sendable {
    /// What starts the flow.
    public enum Kind: Sendable {
        case webhook(WebhookTrigger)
        case schedule(ScheduleTrigger)
    }

    /// Unique among the flow's triggers; used in `/flows/{flow}/triggers/{id}`.
    public var id: String
    public var flowName: String
    /// `enabled: false` triggers are skipped at startup.
    public var enabled: Bool
    public var kind: Kind
    /// Keys the trigger does not know, reported as warnings.
    public var unknownKeys: [String]

    /// `webhook` or `schedule`.
    public var typeName: String {
        switch kind {
        case .webhook: "webhook"
        case .schedule: "schedule"
        }
    }

    static let supportedTypes = ["webhook", "schedule"]
    private static let commonKeys: Set<String> = ["type", "id", "enabled"]
    private static let webhookKeys: Set<String> = ["path", "method", "async", "input_mapping", "auth", "description"]
    private static let scheduleKeys: Set<String> = ["cron", "timezone", "inputs", "max_instances", "description"]

    /// Every entry of a flow's `triggers:` section, each parsed or rejected on its own.
    ///
    /// Entries without an `id` are named `<Flow>_<type>_<position>` (position in the list, from 0); a repeated
    /// id is an error of the later entry.
    public static func parseAll(_ section: FlowValue?, flowName: String) -> [Result<TriggerDefinition, TriggerDefinitionError>] {
        guard let section, !section.isNull else { return [] }
        guard case .array(let entries) = section else {
            return [
                .failure(
                    TriggerDefinitionError(
                        flowName: flowName,
                        triggerId: "\(flowName)_triggers",
                        type: nil,
                        field: "triggers",
                        message: "must be a list of triggers, found \(section.kindName)"
                    )
                )
            ]
        }
        var seen = Set<String>()
        return entries.enumerated().map { position, entry in
            var result = parse(entry, position: position, flowName: flowName)
            if case .success(let definition) = result, !seen.insert(definition.id).inserted {
                result = .failure(
                    TriggerDefinitionError(
                        flowName: flowName,
                        triggerId: definition.id,
                        type: definition.typeName,
                        field: "id",
                        message: "another trigger of this flow already has the id '\(definition.id)'"
                    )
                )
            }
            return result
        }
    }

    /// Parses the entry at `position` of a flow's `triggers:` list.
    public static func parse(_ entry: FlowValue, position: Int, flowName: String) -> Result<TriggerDefinition, TriggerDefinitionError> {
        guard case .object(let fields) = entry else {
            return .failure(
                TriggerDefinitionError(
                    flowName: flowName,
                    triggerId: "\(flowName)_trigger_\(position)",
                    type: nil,
                    field: nil,
                    message: "a trigger must be a mapping with a 'type', found \(entry.kindName)"
                )
            )
        }
        let typeName = fields["type"]?.stringValue
        var id = "\(flowName)_\(typeName ?? "trigger")_\(position)"
        if let explicit = fields["id"], !explicit.isNull {
            guard let text = explicit.stringValue, !text.isEmpty, !text.contains("/") else {
                return .failure(
                    TriggerDefinitionError(
                        flowName: flowName,
                        triggerId: id,
                        type: typeName,
                        field: "id",
                        message: "must be a non-empty string without '/'"
                    )
                )
            }
            id = text
        }
        let reader = FieldReader(fields: fields, flowName: flowName, triggerId: id, type: typeName)
        do throws(TriggerDefinitionError) {
            guard let typeName else {
                throw reader.error("type", fields["type"] == nil ? "is required (webhook or schedule)" : "must be a string")
            }
            let enabled = try reader.bool("enabled") ?? true
            let kind: Kind
            let known: Set<String>
            switch typeName {
            case "webhook":
                kind = .webhook(try WebhookTrigger(reading: reader))
                known = webhookKeys
            case "schedule":
                kind = .schedule(try ScheduleTrigger(reading: reader))
                known = scheduleKeys
            default:
                throw reader.error(
                    "type",
                    "unknown trigger type '\(typeName)' (supported: \(supportedTypes.joined(separator: ", ")))"
                )
            }
            let unknown = fields.keys.filter { !commonKeys.contains($0) && !known.contains($0) }
            return .success(
                TriggerDefinition(id: id, flowName: flowName, enabled: enabled, kind: kind, unknownKeys: Array(unknown))
            )
        } catch {
            return .failure(error)
        }
    }
}

/// A trigger definition that cannot be used, naming the flow, the trigger and the field at fault.
public struct TriggerDefinitionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var flowName: String
    /// The trigger's id, or the id it would have had.
    public var triggerId: String
    /// The declared type, when there is one.
    public var type: String?
    /// The key at fault, dotted for nested keys (`auth.key`), or nil for the entry as a whole.
    public var field: String?
    public var message: String

    public init(flowName: String, triggerId: String, type: String?, field: String?, message: String) {
        self.flowName = flowName
        self.triggerId = triggerId
        self.type = type
        self.field = field
        self.message = message
    }

    /// `trigger 'orders' of flow 'Orders': cron: ...`
    public var description: String {
        "trigger '\(triggerId)' of flow '\(flowName)': " + (field.map { "\($0): " } ?? "") + message
    }

    /// The problem without the trigger and flow, for the trigger's own status.
    public var shortDescription: String { (field.map { "\($0): " } ?? "") + message }
}

// MARK: - Webhook

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
        guard let rawPath = try reader.string("path") else { throw reader.error("path", "is required, e.g. /webhooks/orders") }
        let trimmed = rawPath.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed != "/" else { throw reader.error("path", "must name a route, e.g. /webhooks/orders") }
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
                    "unknown mapping '\(name)' (use body, query, headers, path, all, or a map of input name to source such as body.order.id)"
                )
            }
        case .object(let members):
            var sources = OrderedDictionary<String, WebhookValueSource>()
            for (input, source) in members {
                guard let text = source.stringValue else {
                    throw reader.error("input_mapping.\(input)", "must be a source such as body.order.id, found \(source.kindName)")
                }
                do {
                    sources[input] = try WebhookValueSource(text)
                } catch {
                    throw reader.error("input_mapping.\(input)", error.message)
                }
            }
            self = .inputs(sources)
        default:
            throw reader.error("input_mapping", "must be a mapping name or a map of input name to source, found \(value.kindName)")
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
                message: "'\(text)' must start with body, query, headers or path (e.g. body.order.id, headers.x-request-id)"
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
            throw reader.error("auth", "must be a map such as {type: api_key, header: X-API-Key, key: \"${WEBHOOK_KEY}\"}")
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

// MARK: - Schedule

/// A `type: schedule` trigger: runs the flow at the times a cron expression names.
public struct ScheduleTrigger: Sendable {
    public var cron: CronExpression
    /// The zone whose wall time the expression is read in.
    public var timeZone: TimeZone
    /// The zone's name as configured (`UTC` stays `UTC` where Foundation would say `GMT`).
    public var timeZoneName: String
    /// Fixed inputs of every run; `_schedule` is added.
    public var inputs: OrderedDictionary<String, FlowValue>
    /// How many runs of this trigger may be in progress; a due run beyond that is skipped.
    public var maxInstances: Int

    public init(
        cron: CronExpression,
        timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt,
        inputs: OrderedDictionary<String, FlowValue> = [:],
        maxInstances: Int = 1
    ) {
        self.cron = cron
        self.timeZone = timeZone
        timeZoneName = timeZone.identifier
        self.inputs = inputs
        self.maxInstances = maxInstances
    }

    init(reading reader: FieldReader) throws(TriggerDefinitionError) {
        guard let text = try reader.string("cron") else { throw reader.error("cron", "is required, e.g. \"*/5 * * * *\"") }
        do {
            cron = try CronExpression(text)
        } catch {
            throw reader.error("cron", "invalid expression '\(text)': \(error.message)")
        }
        let zoneName = try reader.string("timezone") ?? "UTC"
        guard let zone = TimeZone(identifier: zoneName) else {
            throw reader.error("timezone", "unknown time zone '\(zoneName)' (use an IANA name such as Europe/Berlin)")
        }
        timeZone = zone
        timeZoneName = zoneName
        switch reader.fields["inputs"] {
        case .none, .null?: inputs = [:]
        case .object(let members)?: inputs = members
        case let other?: throw reader.error("inputs", "must be a map of input name to value, found \(other.kindName)")
        }
        if let raw = reader.fields["max_instances"], !raw.isNull {
            guard let count = raw.intValue, count >= 1 else { throw reader.error("max_instances", "must be a whole number of at least 1") }
            maxInstances = count
        } else {
            maxInstances = 1
        }
    }
}

// MARK: - Reading

/// Typed access to a trigger's keys with errors that name the key.
struct FieldReader {
    let fields: OrderedDictionary<String, FlowValue>
    let flowName: String
    let triggerId: String
    let type: String?

    func error(_ field: String, _ message: String) -> TriggerDefinitionError {
        TriggerDefinitionError(flowName: flowName, triggerId: triggerId, type: type, field: field, message: message)
    }

    func string(_ key: String) throws(TriggerDefinitionError) -> String? {
        guard let value = fields[key], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw error(key, "must be a string, found \(value.kindName)") }
        return text
    }

    func bool(_ key: String) throws(TriggerDefinitionError) -> Bool? {
        guard let value = fields[key], !value.isNull else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .string(let text) where ["true", "false"].contains(text.lowercased()): return text.lowercased() == "true"
        default: throw error(key, "must be true or false, found \(value.kindName)")
        }
    }
}
