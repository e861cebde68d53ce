public import FlowCore
import OrderedCollections

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
    public static func parseAll(_ section: FlowValue?, flowName: String) -> [Result<
        TriggerDefinition, TriggerDefinitionError
    >] {
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
    public static func parse(_ entry: FlowValue, position: Int, flowName: String) -> Result<
        TriggerDefinition, TriggerDefinitionError
    > {
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
                throw reader.error(
                    "type", fields["type"] == nil ? "is required (webhook or schedule)" : "must be a string")
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
