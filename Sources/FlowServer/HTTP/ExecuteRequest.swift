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
    static func jsonObject(_ text: String) throws(APIError) -> (
        document: FlowValue, members: OrderedDictionary<String, FlowValue>
    ) {
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
                throw .validation([
                    ValidationProblem(type: "missing", location: ["body"], message: "Field required", input: .null)
                ])
            }
            return try validate([:], for: flow)
        }
        let (document, members) = try jsonObject(text)
        switch members["inputs"] {
        case .none, .null?:
            guard !needsInputs else {
                throw .validation([
                    ValidationProblem(
                        type: "missing", location: ["body", "inputs"], message: "Field required", input: document)
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

    private static func validate(_ inputs: OrderedDictionary<String, FlowValue>, for flow: FlowDefinition)
        throws(APIError)
        -> OrderedDictionary<String, FlowValue>
    {
        let checked = Result { () throws(InputValidationError) in try InputValidator.validate(inputs, for: flow) }
        var reported: [InputValidationError.Problem] = []
        if case .failure(let error) = checked { reported = error.problems }
        var problems: [ValidationProblem] = []
        for declaration in flow.inputs {
            let location: [FlowValue] = ["body", "inputs", .string(declaration.name)]
            if case .string(let text)? = inputs[declaration.name], InputTextForms.pattern(for: declaration.type) != nil,
                !InputTextForms.accepts(text, as: declaration.type)
            {
                let (code, message) = unparsable(declaration.type)
                problems.append(
                    ValidationProblem(type: code, location: location, message: message, input: .string(text)))
                continue
            }
            for problem in reported where problem.input == declaration.name {
                let (code, noun) = pydanticType(declaration.type)
                switch problem.kind {
                case .missing where inputs[problem.input] == .null:
                    // pydantic reports an explicit null for a required field as a type error.
                    problems.append(
                        ValidationProblem(
                            type: code, location: location, message: "Input should be a valid \(noun)", input: .null)
                    )
                case .missing:
                    problems.append(
                        ValidationProblem(
                            type: "missing", location: location, message: "Field required", input: .object(inputs))
                    )
                case .invalidType:
                    problems.append(
                        ValidationProblem(
                            type: code,
                            location: location,
                            message: "Input should be a valid \(noun)",
                            input: inputs[problem.input] ?? .null
                        )
                    )
                case .notInEnum: problems.append(constraintProblem(.enumeration, problem, flow: flow, inputs: inputs))
                case .belowMinimum: problems.append(constraintProblem(.minimum, problem, flow: flow, inputs: inputs))
                case .aboveMaximum: problems.append(constraintProblem(.maximum, problem, flow: flow, inputs: inputs))
                case .patternMismatch: problems.append(constraintProblem(.pattern, problem, flow: flow, inputs: inputs))
                }
            }
        }
        guard problems.isEmpty, case .success(let validated) = checked else { throw .validation(problems) }
        return validated
    }

    /// pydantic's code and message for a string that does not parse as `type`.
    private static func unparsable(_ type: InputType) -> (String, String) {
        switch type {
        case .integer: ("int_parsing", "Input should be a valid integer, unable to parse string as an integer")
        case .number: ("float_parsing", "Input should be a valid number, unable to parse string as a number")
        case .boolean: ("bool_parsing", "Input should be a valid boolean, unable to interpret input")
        case .string, .object, .array, .any: ("value_error", "Input should be a valid value")
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
                quoted.count > 1
                ? quoted.dropLast().joined(separator: ", ") + " or " + (quoted.last ?? "") : quoted.joined()
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
