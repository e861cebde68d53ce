import FlowCore
import OrderedCollections

/// Small builders for the JSON Schema (2020-12, as OpenAPI 3.1 uses it) fragments of the OpenAPI document.
///
/// Every builder returns a plain ``FlowValue`` so schemas compose with dictionary literals; keys follow the
/// order FastAPI (pydantic) writes them in, which keeps our document easy to compare with the original's.
enum JSONSchema {
    /// `{"type": "string"}` with an optional description.
    static func string(_ description: String? = nil) -> FlowValue { typed("string", description) }

    /// `{"type": "integer"}` with an optional description.
    static func integer(_ description: String? = nil) -> FlowValue { typed("integer", description) }

    /// `{"type": "number"}` with an optional description.
    static func number(_ description: String? = nil) -> FlowValue { typed("number", description) }

    /// `{"type": "boolean"}` with an optional description.
    static func boolean(_ description: String? = nil) -> FlowValue { typed("boolean", description) }

    /// A string limited to `values`.
    static func enumeration(_ values: [String], _ description: String? = nil) -> FlowValue {
        var schema: OrderedDictionary<String, FlowValue> = [
            "type": "string", "enum": .array(values.map(FlowValue.string)),
        ]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// A value that is always `value` (`const`).
    static func constant(_ value: FlowValue, _ description: String? = nil) -> FlowValue {
        var schema: OrderedDictionary<String, FlowValue> = ["type": .string(value.kindName), "const": value]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// An array of `items`.
    static func array(of items: FlowValue, _ description: String? = nil) -> FlowValue {
        var schema: OrderedDictionary<String, FlowValue> = ["items": items, "type": "array"]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// An object with any members; `values` constrains the members' values when given.
    static func map(_ description: String? = nil, values: FlowValue = true) -> FlowValue {
        var schema: OrderedDictionary<String, FlowValue> = ["additionalProperties": values, "type": "object"]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// Any JSON value, with an optional description.
    static func any(_ description: String? = nil) -> FlowValue {
        description.map { ["description": .string($0)] } ?? [:]
    }

    /// `{"$ref": "#/components/schemas/<name>"}`.
    static func ref(_ name: String, _ description: String? = nil) -> FlowValue {
        var schema: OrderedDictionary<String, FlowValue> = ["$ref": .string(reference(name))]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// The reference path of the component schema `name`.
    static func reference(_ name: String) -> String { "#/components/schemas/\(name)" }

    /// `schema` or `null`, in pydantic's `anyOf` spelling; a description moves out of the branch to the top.
    static func nullable(_ schema: FlowValue, _ description: String? = nil) -> FlowValue {
        var branch = schema.objectValue ?? [:]
        let inner = branch.removeValue(forKey: "description")?.stringValue
        if branch.isEmpty { return any(description ?? inner) }
        var result: OrderedDictionary<String, FlowValue> = ["anyOf": [.object(branch), ["type": "null"]]]
        if let text = description ?? inner { result["description"] = .string(text) }
        return .object(result)
    }

    /// An object schema: `properties`, then `type`, `required` (left out when empty), `title`, `description`.
    ///
    /// Properties without a title get one from their name, as pydantic writes them.
    static func object(
        _ properties: OrderedDictionary<String, FlowValue>,
        required: [String] = [],
        title: String? = nil,
        description: String? = nil
    ) -> FlowValue {
        var titled = properties
        for (name, property) in properties where property["title"] == nil {
            titled[name] = setting("title", .string(Self.title(name)), in: property)
        }
        var schema: OrderedDictionary<String, FlowValue> = ["properties": .object(titled), "type": "object"]
        if !required.isEmpty { schema["required"] = .array(required.map(FlowValue.string)) }
        if let title { schema["title"] = .string(title) }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// `schema` with `key` set to `value`; non-object schemas are returned unchanged.
    static func setting(_ key: String, _ value: FlowValue, in schema: FlowValue) -> FlowValue {
        guard var members = schema.objectValue else { return schema }
        members[key] = value
        return .object(members)
    }

    /// A pydantic-style title for a field name: `user_name` becomes `User Name`.
    static func title(_ name: String) -> String {
        name.split(separator: "_", omittingEmptySubsequences: true)
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: " ")
    }

    private static func typed(_ type: String, _ description: String?) -> FlowValue {
        var schema: OrderedDictionary<String, FlowValue> = ["type": .string(type)]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }
}
