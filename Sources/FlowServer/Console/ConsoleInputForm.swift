import FlowCore
import OrderedCollections

/// The form that starts a run, generated from a flow's declared inputs: a control per input by its type
/// (text, number, a choice for booleans and enums, a JSON text area for objects, arrays and untyped inputs),
/// with its default, its bounds and whether it is required. `values` (a run's inputs, for "run again")
/// replace the defaults.
///
/// The script reads the controls by `data-input` and `data-type`, checks JSON text before sending, and posts
/// the inputs to the flow's execute route with the API key.
enum ConsoleInputForm {
    static func html(_ flow: ServedFlow, values: OrderedDictionary<String, FlowValue>) -> String {
        let fields = flow.definition.inputs.enumerated().map { index, input in
            field(input, id: "input-\(index)", value: values[input.name] ?? input.defaultValue)
        }
        let empty = fields.isEmpty ? "<p>This flow declares no inputs.</p>" : ""
        return """
            <form id="run-form" class="run-form" data-execute="\(ConsoleHTML.escape(flow.path))/execute" novalidate>
            \(empty)\(fields.joined(separator: "\n"))
            <p class="actions"><button type="submit" value="async">Start and follow</button>
            <button type="submit" value="sync">Run and wait for the result</button></p>
            <noscript><p>Starting a run needs JavaScript; without it, use the API (<a href="/docs">API docs</a>).</p></noscript>
            <div id="run-result" role="status" aria-live="polite"></div>
            </form>
            """
    }

    private static func field(_ input: InputDefinition, id: String, value: FlowValue?) -> String {
        let name = ConsoleHTML.escape(input.name)
        let required = input.required ? " required aria-required=\"true\"" : ""
        var hints = [input.type.rawValue]
        if input.required { hints.append("required") }
        if let pattern = input.pattern { hints.append("matching \(pattern)") }
        if let minimum = input.minimum { hints.append("at least \(minimum.jsonText)") }
        if let maximum = input.maximum { hints.append("at most \(maximum.jsonText)") }
        let description = input.description.map { "<span class=\"hint\">\(ConsoleHTML.escape($0))</span>" } ?? ""
        let label = """
            <label for="\(id)">\(name) <span class="hint">(\(ConsoleHTML.escape(hints.joined(separator: ", "))))</span></label>\(description)
            """
        let attributes = "id=\"\(id)\" name=\"\(name)\" data-input=\"\(name)\""
        let control: String
        if let allowed = input.allowedValues, !allowed.isEmpty {
            control = select(
                attributes, type: "enum", options: allowed.map { ($0.jsonText, display($0)) }, value: value,
                required: input.required)
        } else {
            switch input.type {
            case .boolean:
                control = select(
                    attributes, type: "boolean", options: [("true", "true"), ("false", "false")], value: value,
                    required: input.required)
            case .integer, .number:
                let step = input.type == .integer ? "1" : "any"
                let bounds =
                    (input.minimum.map { " min=\"\(ConsoleHTML.escape($0.jsonText))\"" } ?? "")
                    + (input.maximum.map { " max=\"\(ConsoleHTML.escape($0.jsonText))\"" } ?? "")
                let shown = value.map { ConsoleHTML.escape($0.jsonText) } ?? ""
                control =
                    "<input \(attributes) data-type=\"\(input.type.rawValue)\" type=\"number\" step=\"\(step)\"\(bounds) value=\"\(shown)\"\(required)>"
            case .string:
                let shown = value.map { ConsoleHTML.escape($0.stringValue ?? $0.jsonText) } ?? ""
                control = "<input \(attributes) data-type=\"string\" type=\"text\" value=\"\(shown)\"\(required)>"
            case .object, .array, .any:
                let shown = value.map { ConsoleHTML.escape($0.prettyJSON()) } ?? ""
                control = """
                    <textarea \(attributes) data-type="\(input.type.rawValue)" rows="4" spellcheck="false"\(required)>\(shown)</textarea>
                    """
            }
        }
        return
            "<div class=\"field\">\(label)\(control)<span class=\"field-error\" id=\"\(id)-error\" aria-live=\"polite\"></span></div>"
    }

    private static func select(
        _ attributes: String, type: String, options: [(String, String)], value: FlowValue?, required: Bool
    ) -> String {
        let chosen = value?.jsonText
        var items = required && chosen != nil ? [] : ["<option value=\"\">(not given)</option>"]
        items += options.map { json, text in
            let selected = json == chosen ? " selected" : ""
            return "<option value=\"\(ConsoleHTML.escape(json))\"\(selected)>\(ConsoleHTML.escape(text))</option>"
        }
        let requiredAttribute = required ? " required aria-required=\"true\"" : ""
        return "<select \(attributes) data-type=\"\(type)\"\(requiredAttribute)>\(items.joined())</select>"
    }

    private static func display(_ value: FlowValue) -> String {
        value.stringValue ?? value.jsonText
    }
}
