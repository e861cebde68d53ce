import FlowCore
import Foundation
import Hummingbird

extension ExecutionQuery {
    /// The query of `GET /executions` (and the console's executions page): `flow`, `status` (comma-separated),
    /// `since` and `until` (ISO-8601; without an offset, UTC), `q`, `cursor` and `limit` (1 to 500, 50 by
    /// default). An empty parameter is no filter, as an HTML form sends it; a malformed one is answered 422.
    init(request: Request) throws(APIError) {
        let parameters = request.uri.queryParameters
        func text(_ name: String) -> String? {
            guard let value = parameters.get(name), !value.isEmpty else { return nil }
            return value
        }
        var statuses = Set<ExecutionRecord.Status>()
        for name in (text("status") ?? "").split(separator: ",") {
            guard let status = ExecutionRecord.Status(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw Self.problem(
                    "status", "Input should be 'running', 'completed', 'failed' or 'cancelled'", text("status"))
            }
            statuses.insert(status)
        }
        var cursor: ExecutionCursor?
        if let token = text("cursor") {
            guard let parsed = ExecutionCursor(token: token) else {
                throw Self.problem("cursor", "Input should be a next_cursor of an earlier page", token)
            }
            cursor = parsed
        }
        let limit = try QueryParameter.integer("limit", in: request, minimum: 1, default: 50)
        guard limit <= Self.maximumLimit else {
            throw Self.problem("limit", "Input should be less than or equal to \(Self.maximumLimit)", String(limit))
        }
        self.init(
            flow: text("flow"),
            statuses: statuses,
            startedFrom: try Self.time("since", text("since")),
            startedBefore: try Self.time("until", text("until")),
            text: text("q"),
            cursor: cursor,
            limit: limit
        )
    }

    /// The largest page a request may ask for.
    static let maximumLimit = 500

    /// `value` as a time: ISO-8601 with or without fractional seconds, seconds or offset (then UTC), as
    /// `<input type="datetime-local">` sends it.
    private static func time(_ name: String, _ value: String?) throws(APIError) -> Date? {
        guard let value else { return nil }
        var text = value.uppercased()
        let time = text.split(separator: "T", maxSplits: 1).last.map(String.init) ?? ""
        let hasOffset = time.hasSuffix("Z") || time.contains("+") || time.contains("-")
        if text.contains("T"), time.split(separator: ":").count == 2, !hasOffset { text += ":00" }
        if !hasOffset { text += "Z" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        throw problem(name, "Input should be an ISO-8601 date and time, e.g. 2026-12-06T10:30:00Z", value)
    }

    private static func problem(_ name: String, _ message: String, _ input: String?) -> APIError {
        .validation([
            ValidationProblem(
                type: "value_error",
                location: ["query", .string(name)],
                message: message,
                input: input.map(FlowValue.string) ?? .null
            )
        ])
    }
}
