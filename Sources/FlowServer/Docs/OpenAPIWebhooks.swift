import FlowCore
import Hummingbird
import OrderedCollections

/// Webhook routes: which flow each one runs, how it authenticates, and what it answers.
///
/// Webhook paths come from the flows' `triggers:` sections, so the document finds them by reading the same
/// sections; a webhook route that no trigger explains still appears, as a generic operation.
enum OpenAPIWebhooks {
    /// One webhook trigger of a served flow.
    struct Hook {
        var flow: ServedFlow
        var id: String
        var trigger: WebhookTrigger
    }

    /// The webhook triggers of `flows` by route, paths normalized as the document writes them.
    static func hooks(in flows: [ServedFlow]) -> [RegisteredRoute: Hook] {
        var hooks: [RegisteredRoute: Hook] = [:]
        for flow in flows {
            for case .success(let definition) in TriggerDefinition.parseAll(
                flow.definition.triggers, flowName: flow.name)
            {
                guard definition.enabled, case .webhook(let trigger) = definition.kind else { continue }
                let path = OpenAPIDocument.normalizedPath(RouterPath(trigger.path).description)
                let route = RegisteredRoute(method: trigger.method.rawValue, path: path)
                if hooks[route] == nil { hooks[route] = Hook(flow: flow, id: definition.id, trigger: trigger) }
            }
        }
        return hooks
    }

    /// The security scheme a hook's authentication needs, by component name; nil for open webhooks.
    static func securityScheme(_ hook: Hook) -> (name: String, scheme: FlowValue)? {
        switch hook.trigger.auth {
        case .apiKey(let header, _)?:
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
            let name = "WebhookAPIKey_" + String(header.map { allowed.contains($0) ? $0 : "_" })
            return (name, ["type": "apiKey", "in": "header", "name": .string(header)])
        case .bearer?:
            return ("WebhookBearer", ["type": "http", "scheme": "bearer"])
        case nil:
            return nil
        }
    }

    /// The operation of `hook`'s route; `names` are its flow's typed schemas.
    static func describe(_ hook: Hook, names: FlowSchemaNames?) -> OperationDescription {
        let flow = hook.flow.name
        let trigger = hook.trigger
        var responses: OrderedDictionary<String, FlowValue> = [:]
        if trigger.isAsync {
            responses["202"] = OpenAPIOperations.json("WebhookAccepted", "Flow started in the background")
        } else {
            responses["200"] = OpenAPIOperations.json("WebhookResult", "Flow executed successfully")
        }
        if trigger.auth != nil {
            responses["401"] = OpenAPIOperations.json("ErrorResponse", "Missing or invalid credentials")
        }
        responses["413"] = OpenAPIOperations.json("ErrorResponse", "Request body too large")
        responses["422"] = OpenAPIOperations.json("WebhookResult", "The request does not give the flow's inputs")
        if !trigger.isAsync { responses["500"] = OpenAPIOperations.json("WebhookResult", "The flow ran and failed") }
        responses["503"] =
            trigger.isAsync
            ? OpenAPIOperations.json(
                ["anyOf": [JSONSchema.ref("FlowExecuteResponse"), JSONSchema.ref("ErrorResponse")]],
                """
                Flow not ready - tasks not yet implemented; or the execution store could not record the execution, \
                so it was not started (the error envelope, with Retry-After)
                """
            )
            : OpenAPIOperations.json("FlowExecuteResponse", "Flow not ready - tasks not yet implemented")

        var description = "Webhook trigger `\(hook.id)` of the \(flow) flow. "
        description +=
            trigger.isAsync
            ? "Answers 202 at once while the flow runs in the background; follow it at `status_url`."
            : "Runs the flow and answers with its outputs."
        description += "\n\nInputs: \(inputsText(trigger.inputMapping))."
        switch trigger.auth {
        case .apiKey(let header, _)?: description += "\n\nAuthentication: an API key in the `\(header)` header."
        case .bearer?: description += "\n\nAuthentication: `Authorization: Bearer <token>`."
        case nil: break
        }

        var body: FlowValue? = nil
        if ![.get, .delete, .head].contains(trigger.method) {
            let schema = trigger.inputMapping == .body ? names.map { JSONSchema.ref($0.inputs) } : nil
            body = ["required": false, "content": ["application/json": ["schema": schema ?? JSONSchema.any()]]]
        }
        return OperationDescription(
            name: "webhook_handler", tag: "Webhooks", summary: "Trigger \(flow)", description: description,
            requestBody: body, responses: responses
        )
    }

    /// The schemas webhook operations refer to.
    static let schemas: OrderedDictionary<String, FlowValue> = [
        "WebhookResult": JSONSchema.object(
            [
                "success": JSONSchema.boolean(),
                "outputs": JSONSchema.nullable(JSONSchema.map(), "The flow's outputs; null unless it succeeded"),
                "error": JSONSchema.nullable(JSONSchema.string()),
                "flow": JSONSchema.string(),
                "execution": JSONSchema.enumeration(["sync", "async"]),
            ],
            required: ["success", "outputs", "error", "flow", "execution"],
            title: "WebhookResult",
            description: "The outcome of a webhook-triggered run"
        ),
        "WebhookAccepted": JSONSchema.object(
            [
                "success": JSONSchema.constant(true),
                "message": JSONSchema.string(),
                "flow": JSONSchema.string(),
                "execution": JSONSchema.constant("async"),
                "execution_id": JSONSchema.string(),
                "status_url": JSONSchema.string("Where to poll the execution's record (also the Location header)"),
            ],
            required: ["success", "message", "flow", "execution", "execution_id", "status_url"],
            title: "WebhookAccepted",
            description: "A webhook-triggered run started in the background"
        ),
    ]

    private static func inputsText(_ mapping: WebhookInputMapping) -> String {
        switch mapping {
        case .body: "the JSON body's members"
        case .query: "the query parameters"
        case .headers: "the request headers"
        case .path: "the path parameters"
        case .all: "body, query, headers and path parameters"
        case .inputs(let sources):
            sources.map { name, source in "`\(name)` from \(source)" }.joined(separator: ", ")
        }
    }
}
