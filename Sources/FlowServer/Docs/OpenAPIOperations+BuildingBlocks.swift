import FlowCore
import OrderedCollections

/// The building blocks the operations' descriptions share: response maps, JSON bodies, errors, event streams,
/// headers and query parameters.
extension OpenAPIOperations {
    /// `base` plus a 404 envelope described as `notFound`, when given.
    static func responses(
        _ base: OrderedDictionary<String, FlowValue>,
        notFound: String?
    ) -> OrderedDictionary<String, FlowValue> {
        var result = base
        if let notFound { result["404"] = error(notFound) }
        return result
    }

    /// A JSON response whose body is the component schema `schema`.
    static func json(_ schema: String, _ description: String) -> FlowValue {
        json(JSONSchema.ref(schema), description)
    }

    /// The body of `/ready`: its status and each check with a short detail.
    static var readinessSchema: FlowValue {
        let check: FlowValue = [
            "type": "object", "required": ["ok", "detail"],
            "properties": ["ok": ["type": "boolean"], "detail": ["type": "string"]],
        ]
        return [
            "type": "object", "required": ["status", "checks"],
            "properties": [
                "status": ["type": "string", "enum": ["ready", "not_ready"]],
                "checks": [
                    "type": "object",
                    "properties": ["flows_loaded": check, "store_reachable": check, "not_shutting_down": check],
                    // connection_<name>: one per database the flows declare.
                    "additionalProperties": check,
                ],
            ],
        ]
    }

    /// A JSON response whose body is `schema`.
    static func json(_ schema: FlowValue, _ description: String) -> FlowValue {
        ["description": .string(description), "content": ["application/json": ["schema": schema]]]
    }

    /// A response with the error envelope.
    static func error(_ description: String) -> FlowValue {
        json("ErrorResponse", description)
    }

    /// A Server-Sent Events response of execution events (see ``OpenAPIEventSchemas``).
    static func eventStream(_ description: String) -> FlowValue {
        [
            "description": .string(description),
            "content": ["text/event-stream": ["schema": JSONSchema.ref("ExecutionEvent")]],
        ]
    }

    /// A string response header.
    static func header(_ description: String) -> FlowValue {
        ["description": .string(description), "schema": JSONSchema.string()]
    }

    /// An optional query parameter.
    static func query(_ name: String, _ schema: FlowValue, _ description: String) -> FlowValue {
        [
            "name": .string(name), "in": "query", "required": false, "description": .string(description),
            "schema": schema,
        ]
    }

    /// `object` with `key` set to `value`.
    static func setting(_ key: String, _ value: FlowValue, in object: FlowValue) -> FlowValue {
        JSONSchema.setting(key, value, in: object)
    }
}
