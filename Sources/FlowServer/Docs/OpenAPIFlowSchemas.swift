import FlowCore
import OrderedCollections

/// The component names of one flow's generated schemas: `<Flow>Request`, `<Flow>Inputs`, `<Flow>Outputs`
/// and `<Flow>Response`.
struct FlowSchemaNames: Sendable, Equatable {
    /// The execute request body, `{"inputs": <Flow>Inputs}`.
    var request: String
    /// The flow's declared inputs as an object schema.
    var inputs: String
    /// The flow's declared outputs as an object schema.
    var outputs: String
    /// The execute response with `outputs` typed as `<Flow>Outputs`.
    var response: String
}

/// Schemas generated from a flow's declared inputs and outputs, so each flow's execute route shows its own
/// typed body and result.
enum OpenAPIFlowSchemas {
    /// Schema names for every flow, unique among the flows and not clashing with `reserved` names.
    ///
    /// A flow's name is kept where OpenAPI allows it (letters, digits, `.`, `-`, `_`); other characters
    /// become `_`, and a clash adds `_2`, `_3`, … to the stem.
    static func names(for flows: [ServedFlow], reserved: some Sequence<String>) -> [String: FlowSchemaNames] {
        var taken = Set(reserved)
        var result: [String: FlowSchemaNames] = [:]
        for flow in flows {
            let base = componentName(flow.name)
            var stem = base
            var attempt = 1
            while true {
                let names = FlowSchemaNames(
                    request: stem + "Request",
                    inputs: stem + "Inputs",
                    outputs: stem + "Outputs",
                    response: stem + "Response"
                )
                let all = [names.request, names.inputs, names.outputs, names.response]
                if all.allSatisfy({ !taken.contains($0) }) {
                    taken.formUnion(all)
                    result[flow.name] = names
                    break
                }
                attempt += 1
                stem = "\(base)_\(attempt)"
            }
        }
        return result
    }

    /// The four schemas of `flow`, keyed by their names.
    static func schemas(for flow: FlowDefinition, names: FlowSchemaNames) -> OrderedDictionary<String, FlowValue> {
        var response = OpenAPISchemas.flowExecuteResponseProperties
        response["outputs"] = JSONSchema.nullable(
            JSONSchema.ref(names.outputs),
            "Outputs of the \(flow.name) flow; null unless the execution succeeded"
        )
        return [
            names.request: JSONSchema.object(
                ["inputs": JSONSchema.ref(names.inputs, "Input parameters for \(flow.name) flow")],
                required: needsInputs(flow) ? ["inputs"] : [],
                title: names.request,
                description: "Request body for executing the \(flow.name) flow"
            ),
            names.inputs: inputsSchema(for: flow, title: names.inputs),
            names.outputs: JSONSchema.object(
                OrderedDictionary(
                    flow.outputs.map { output in (output.name, JSONSchema.any(output.description)) },
                    uniquingKeysWith: { _, last in last }
                ),
                title: names.outputs,
                description: "Declared outputs of the \(flow.name) flow"
            ),
            names.response: JSONSchema.object(
                response,
                required: ["success", "flow"],
                title: names.response,
                description: "Response of executing the \(flow.name) flow"
            ),
        ]
    }

    /// Whether a caller must send `inputs`: some input is required and has no default.
    static func needsInputs(_ flow: FlowDefinition) -> Bool {
        flow.inputs.contains(where: isMandatory)
    }

    /// The object schema of the flow's inputs: one property per declared input, `required` listing the inputs
    /// a caller must give (required without a default).
    static func inputsSchema(for flow: FlowDefinition, title: String) -> FlowValue {
        JSONSchema.object(
            OrderedDictionary(
                flow.inputs.map { input in (input.name, inputSchema(input)) },
                uniquingKeysWith: { _, last in last }
            ),
            required: flow.inputs.filter(isMandatory).map(\.name),
            title: title,
            description: flow.inputs.isEmpty ? "The \(flow.name) flow declares no inputs" : nil
        )
    }

    /// One input's schema: its type with its `enum`, `minimum`, `maximum` and `pattern`, title, description and
    /// default.
    ///
    /// Inputs a caller may leave out also accept `null` (the server treats `null` as absent and applies the
    /// default), spelled `anyOf: [<type>, {type: null}]` as pydantic does.
    static func inputSchema(_ input: InputDefinition) -> FlowValue {
        var base = typeSchema(input.type)
        if let values = input.allowedValues { base = JSONSchema.setting("enum", .array(values), in: base) }
        if let minimum = input.minimum { base = JSONSchema.setting("minimum", minimum, in: base) }
        if let maximum = input.maximum { base = JSONSchema.setting("maximum", maximum, in: base) }
        if let pattern = input.pattern { base = JSONSchema.setting("pattern", .string(pattern), in: base) }
        var schema = isMandatory(input) ? base : JSONSchema.nullable(base)
        schema = JSONSchema.setting("title", .string(JSONSchema.title(input.name)), in: schema)
        if let description = input.description { schema = JSONSchema.setting("description", .string(description), in: schema) }
        if let defaultValue = input.defaultValue { schema = JSONSchema.setting("default", defaultValue, in: schema) }
        return schema
    }

    /// The JSON Schema of a declared input type; `any` accepts every value.
    static func typeSchema(_ type: InputType) -> FlowValue {
        switch type {
        case .string: JSONSchema.string()
        case .integer: JSONSchema.integer()
        case .number: JSONSchema.number()
        case .boolean: JSONSchema.boolean()
        case .object: JSONSchema.map()
        case .array: JSONSchema.array(of: [:])
        case .any: JSONSchema.any()
        }
    }

    private static func isMandatory(_ input: InputDefinition) -> Bool {
        input.required && input.defaultValue == nil
    }

    private static func componentName(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let cleaned = String(name.map { allowed.contains($0) ? $0 : "_" })
        return cleaned.isEmpty ? "Flow" : cleaned
    }
}
