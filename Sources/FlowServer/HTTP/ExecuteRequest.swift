import FlowCore
import Foundation
import Hummingbird
import OrderedCollections

/// Reads the `{"inputs": {...}}` body of an execute request and checks it against the flow's inputs,
/// answering problems with FastAPI's 422 shapes so FlowLang's clients understand them.
enum ExecuteRequest {
    static let maxJSONDepth = 64

    /// `text` parsed as a JSON object, or the 422 FastAPI answers for a body that is not JSON (`json_invalid`,
    /// with the offset) or not an object (`model_attributes_type`). Shared by every route with a JSON body.
    static func jsonObject(_ text: String) throws(APIError) -> (document: FlowValue, members: OrderedDictionary<String, FlowValue>) {
        let document: FlowValue
        do {
            document = try FlowValue(json: text, maxDepth: maxJSONDepth)
        } catch {
            throw .validation([
                ValidationProblem(
                    type: "json_invalid",
                    location: ["body", .int(error.offset)],
                    message: "JSON decode error",
                    input: [:],
                    context: ["error": .string(error.message)]
                )
            ])
        }
        guard case .object(let members) = document else {
            throw .validation([
                ValidationProblem(
                    type: "model_attributes_type",
                    location: ["body"],
                    message: "Input should be a valid dictionary or object to extract fields from",
                    input: document
                )
            ])
        }
        return (document, members)
    }

    static func inputs(body: ByteBuffer, contentType: String?, for flow: FlowDefinition) throws(APIError)
        -> OrderedDictionary<String, FlowValue>
    {
        let needsInputs = flow.inputs.contains { $0.required && $0.defaultValue == nil }
        guard let text = String(validating: body.readableBytesView, as: UTF8.self) else {
            throw .validation([
                ValidationProblem(
                    type: "json_invalid",
                    location: ["body", 0],
                    message: "JSON decode error",
                    input: [:],
                    context: ["error": "the body is not valid UTF-8"]
                )
            ])
        }
        if let contentType, !isJSON(contentType) {
            throw .validation([
                ValidationProblem(
                    type: "model_attributes_type",
                    location: ["body"],
                    message: "Input should be a valid dictionary or object to extract fields from",
                    input: .string(text)
                )
            ])
        }
        if text.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            guard !needsInputs else {
                throw .validation([ValidationProblem(type: "missing", location: ["body"], message: "Field required", input: .null)])
            }
            return try validate([:], for: flow)
        }
        let (document, members) = try jsonObject(text)
        switch members["inputs"] {
        case .none, .null?:
            guard !needsInputs else {
                throw .validation([
                    ValidationProblem(type: "missing", location: ["body", "inputs"], message: "Field required", input: document)
                ])
            }
            return try validate([:], for: flow)
        case .object(let inputs)?:
            return try validate(inputs, for: flow)
        case let other?:
            throw .validation([
                ValidationProblem(
                    type: "dict_type",
                    location: ["body", "inputs"],
                    message: "Input should be a valid dictionary",
                    input: other
                )
            ])
        }
    }

    private static func validate(_ inputs: OrderedDictionary<String, FlowValue>, for flow: FlowDefinition) throws(APIError)
        -> OrderedDictionary<String, FlowValue>
    {
        do {
            return try InputValidator.validate(inputs, for: flow)
        } catch {
            let problems = error.problems.map { problem -> ValidationProblem in
                let location: [FlowValue] = ["body", "inputs", .string(problem.input)]
                switch problem.kind {
                case .missing where inputs[problem.input] == .null:
                    // pydantic reports an explicit null for a required field as a type error.
                    let type = flow.inputs.first { $0.name == problem.input }?.type ?? .any
                    let (code, noun) = pydanticType(type)
                    return ValidationProblem(type: code, location: location, message: "Input should be a valid \(noun)", input: .null)
                case .missing:
                    return ValidationProblem(type: "missing", location: location, message: "Field required", input: .object(inputs))
                case .invalidType:
                    let type = flow.inputs.first { $0.name == problem.input }?.type ?? .any
                    let (code, noun) = pydanticType(type)
                    return ValidationProblem(
                        type: code,
                        location: location,
                        message: "Input should be a valid \(noun)",
                        input: inputs[problem.input] ?? .null
                    )
                case .notInEnum: return constraintProblem(.enumeration, problem, flow: flow, inputs: inputs)
                case .belowMinimum: return constraintProblem(.minimum, problem, flow: flow, inputs: inputs)
                case .aboveMaximum: return constraintProblem(.maximum, problem, flow: flow, inputs: inputs)
                case .patternMismatch: return constraintProblem(.pattern, problem, flow: flow, inputs: inputs)
                }
            }
            throw .validation(problems)
        }
    }

    /// An `enum`, `minimum`, `maximum` or `pattern` problem in pydantic's words (`enum`, `greater_than_equal`,
    /// `less_than_equal`, `string_pattern_mismatch`), with the rule in `ctx`.
    private static func constraintProblem(
        _ constraint: InputConstraint,
        _ problem: InputValidationError.Problem,
        flow: FlowDefinition,
        inputs: OrderedDictionary<String, FlowValue>
    ) -> ValidationProblem {
        let declaration = flow.inputs.first { $0.name == problem.input }
        let location: [FlowValue] = ["body", "inputs", .string(problem.input)]
        let input = inputs[problem.input] ?? .null
        switch constraint {
        case .minimum:
            let limit = declaration?.minimum ?? .null
            return ValidationProblem(
                type: "greater_than_equal",
                location: location,
                message: "Input should be greater than or equal to \(limit.jsonText)",
                input: input,
                context: ["ge": limit]
            )
        case .maximum:
            let limit = declaration?.maximum ?? .null
            return ValidationProblem(
                type: "less_than_equal",
                location: location,
                message: "Input should be less than or equal to \(limit.jsonText)",
                input: input,
                context: ["le": limit]
            )
        case .pattern:
            let pattern = declaration?.pattern ?? ""
            return ValidationProblem(
                type: "string_pattern_mismatch",
                location: location,
                message: "String should match pattern '\(pattern)'",
                input: input,
                context: ["pattern": .string(pattern)]
            )
        case .enumeration:
            let quoted = (declaration?.allowedValues ?? []).map { value in
                "'" + (value.stringValue ?? value.jsonText) + "'"
            }
            let expected =
                quoted.count > 1 ? quoted.dropLast().joined(separator: ", ") + " or " + (quoted.last ?? "") : quoted.joined()
            return ValidationProblem(
                type: "enum",
                location: location,
                message: "Input should be \(expected)",
                input: input,
                context: ["expected": .string(expected)]
            )
        }
    }

    private static func pydanticType(_ type: InputType) -> (String, String) {
        switch type {
        case .string: ("string_type", "string")
        case .integer: ("int_type", "integer")
        case .number: ("float_type", "number")
        case .boolean: ("bool_type", "boolean")
        case .object: ("dict_type", "dictionary")
        case .array: ("list_type", "list")
        case .any: ("value_error", "value")
        }
    }

    /// Whether the media type (parameters and case aside) is JSON; on every request, so bytes, not Foundation.
    static func isJSON(_ contentType: String) -> Bool {
        var media = Substring(contentType)
        if let semicolon = media.firstIndex(of: ";") { media = media[..<semicolon] }
        let bytes = media.utf8.drop { $0 == 0x20 || $0 == 0x09 }
        let trimmed = bytes.prefix(bytes.count - bytes.reversed().prefix { $0 == 0x20 || $0 == 0x09 }.count)
        let lowered = String(decoding: trimmed.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
        // curl's `-d` sends application/x-www-form-urlencoded; a JSON body under it is what the user meant.
        return lowered == "application/json" || lowered.hasSuffix("+json") || lowered.isEmpty
            || lowered == "application/x-www-form-urlencoded"
    }
}
