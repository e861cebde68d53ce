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
                [
                    "inputs": needsInputs(flow)
                        ? JSONSchema.ref(names.inputs, "Input parameters for \(flow.name) flow")
                        : JSONSchema.nullable(
                            JSONSchema.ref(names.inputs),
                            "Input parameters for \(flow.name) flow; null or left out gives every input its default"
                        )
                ],
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
    /// default), spelled `anyOf: [<type>, {type: null}]` as pydantic does; a mandatory `any` input takes every
    /// value but `null`.
    static func inputSchema(_ input: InputDefinition) -> FlowValue {
        let base = constrained(typeSchema(input.type), by: input)
        var schema: FlowValue
        switch (isMandatory(input), base["anyOf"]) {
        case (true, _) where input.type == .any && input.allowedValues == nil: schema = ["not": ["type": "null"]]
        case (true, _): schema = base
        case (false, .array(let branches)?): schema = ["anyOf": .array(branches + [["type": "null"]])]
        case (false, _): schema = JSONSchema.nullable(base)
        }
        schema = JSONSchema.setting("title", .string(JSONSchema.title(input.name)), in: schema)
        if let description = input.description {
            schema = JSONSchema.setting("description", .string(description), in: schema)
        }
        if let defaultValue = input.defaultValue { schema = JSONSchema.setting("default", defaultValue, in: schema) }
        return schema
    }

    /// `schema` with the input's `enum`, `minimum`, `maximum` and `pattern`. A type taking several forms (an
    /// integer also as a numeric string) gets them on the form they constrain: bounds and values on the number,
    /// the pattern on a string input's text. A numeric string's form stays as published; the server checks the
    /// rules after reading it.
    static func constrained(_ schema: FlowValue, by input: InputDefinition) -> FlowValue {
        func apply(_ schema: FlowValue) -> FlowValue {
            var schema = schema
            let type = schema["type"]?.stringValue
            let numeric = type == "integer" || type == "number"
            if let values = input.allowedValues, type != "string" || input.type == .string {
                schema = JSONSchema.setting("enum", .array(values), in: schema)
            }
            if numeric, let minimum = input.minimum { schema = JSONSchema.setting("minimum", minimum, in: schema) }
            if numeric, let maximum = input.maximum { schema = JSONSchema.setting("maximum", maximum, in: schema) }
            if type == "string", input.type == .string, let pattern = input.pattern {
                schema = JSONSchema.setting("pattern", .string(pattern), in: schema)
            }
            return schema
        }
        guard case .array(let forms)? = schema["anyOf"] else { return apply(schema) }
        return JSONSchema.setting("anyOf", .array(forms.map(apply)), in: schema)
    }

    /// The JSON Schema of a declared input type; `any` accepts every value.
    ///
    /// Integers, numbers and booleans are also taken as strings in the forms of ``InputTextForms`` (and
    /// booleans as 0 and 1), as pydantic's lax mode takes them; integers are 64-bit and numbers finite.
    static func typeSchema(_ type: InputType) -> FlowValue {
        func text(_ pattern: String) -> FlowValue { ["type": "string", "pattern": .string(pattern)] }
        switch type {
        case .string:
            return JSONSchema.string()
        case .integer:
            let integer: FlowValue = ["type": "integer", "minimum": .int(Int.min), "maximum": .int(Int.max)]
            return ["anyOf": [integer, text(InputTextForms.integerPattern)]]
        case .number:
            let bound = Double.greatestFiniteMagnitude
            let number: FlowValue = ["type": "number", "minimum": .double(-bound), "maximum": .double(bound)]
            return ["anyOf": [number, text(InputTextForms.numberPattern)]]
        case .boolean:
            return [
                "anyOf": [
                    ["type": "boolean"], text(InputTextForms.booleanPattern), ["type": "integer", "enum": [0, 1]],
                ]
            ]
        case .object:
            return JSONSchema.map()
        case .array:
            return JSONSchema.array(of: [:])
        case .any:
            return JSONSchema.any()
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
