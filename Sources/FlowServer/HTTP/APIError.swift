import FlowCore
import Hummingbird
import OrderedCollections

/// An error answered with a JSON body in one of the two shapes FlowLang's clients know.
///
/// Handler errors use the envelope `{"success": false, "error": …, "status_code": N}`; framework-level
/// errors (unknown route, wrong method, body validation) use FastAPI's `{"detail": …}`.
struct APIError: Error {
    var status: HTTPResponse.Status
    var body: FlowValue
    var headers: HTTPFields = [:]

    /// The envelope shape with `message` as `error`.
    static func envelope(_ status: HTTPResponse.Status, _ message: String) -> APIError {
        APIError(
            status: status,
            body: ["success": false, "error": .string(message), "status_code": .int(Int(status.code))]
        )
    }

    /// 503 with `Retry-After: 1` for an execution the store could not record, which was not started.
    static func notRecorded(_ error: ExecutionNotRecorded) -> APIError {
        var answer = envelope(.serviceUnavailable, error.description)
        answer.headers[.retryAfter] = "1"
        return answer
    }

    /// FastAPI's `{"detail": …}` shape.
    static func detail(_ status: HTTPResponse.Status, _ detail: FlowValue, headers: HTTPFields = [:]) -> APIError {
        APIError(status: status, body: ["detail": detail], headers: headers)
    }

    /// A 422 listing validation problems, each `{type, loc, msg, input}`.
    static func validation(_ problems: [ValidationProblem]) -> APIError {
        .detail(.unprocessableContent, .array(problems.map(\.json)))
    }

    var response: Response { .json(body, status: status, headers: headers) }
}

/// One entry of a 422 `detail` list, as pydantic reports it.
struct ValidationProblem {
    var type: String
    var location: [FlowValue]
    var message: String
    var input: FlowValue
    var context: FlowValue?

    var json: FlowValue {
        var fields: OrderedDictionary<String, FlowValue> = [
            "type": .string(type), "loc": .array(location), "msg": .string(message), "input": input,
        ]
        if let context { fields["ctx"] = context }
        return .object(fields)
    }
}
