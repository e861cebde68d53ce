import FlowCore
import Hummingbird

/// Typed query parameters: a value the OpenAPI document does not allow is answered 422 in FastAPI's shape,
/// naming the parameter, rather than ignored.
enum QueryParameter {
    /// The integer `name`, `fallback` when absent; at least `minimum`.
    static func integer(_ name: String, in request: Request, minimum: Int, default fallback: Int) throws(APIError)
        -> Int
    {
        guard let text = request.uri.queryParameters.get(name) else { return fallback }
        guard let value = Int(text) else {
            throw .validation([
                ValidationProblem(
                    type: "int_parsing",
                    location: ["query", .string(name)],
                    message: "Input should be a valid integer, unable to parse string as an integer",
                    input: .string(text)
                )
            ])
        }
        guard value >= minimum else {
            throw .validation([
                ValidationProblem(
                    type: "greater_than_equal",
                    location: ["query", .string(name)],
                    message: "Input should be greater than or equal to \(minimum)",
                    input: .string(text),
                    context: ["ge": .int(minimum)]
                )
            ])
        }
        return value
    }

    /// The boolean `name` (`true` or `false`, any case), `fallback` when absent.
    static func boolean(_ name: String, in request: Request, default fallback: Bool) throws(APIError) -> Bool {
        guard let text = request.uri.queryParameters.get(name) else { return fallback }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw .validation([
                ValidationProblem(
                    type: "bool_parsing",
                    location: ["query", .string(name)],
                    message: "Input should be a valid boolean, unable to interpret input",
                    input: .string(text)
                )
            ])
        }
    }
}
