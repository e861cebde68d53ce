/// What an error answer means: an error to throw, or one to retry first.
///
/// Error bodies come in the server's envelope `{"success": false, "error": …, "status_code": N}`, FastAPI's
/// `{"detail": …}`, the execute response (`success: false` with `pending_tasks` for 503), or, for a stream, one
/// Server-Sent Event `event: error` whose `data:` is that JSON. Anything else is kept as text.
struct ErrorResponse {
    /// What a request is about, to name what was not found.
    enum Target: Sendable {
        /// The server itself: `/health`, `/flows`.
        case server
        case flow(String)
        case execution(flow: String, id: String)
    }

    /// What to do about the answer.
    enum Decision: Equatable {
        /// Retry after the server's `Retry-After` (or the policy's backoff when `nil`), else throw `error`.
        case retry(after: Duration?, otherwise: FlowClientError)
        case fail(FlowClientError)
    }

    let status: Int
    let retryAfter: Duration?
    /// The body as text (possibly cut short).
    let text: String
    /// The body's JSON: the whole body, or the `data:` line of an SSE error event.
    let json: FlowValue?

    init(status: Int, retryAfter: String?, body: String) {
        self.status = status
        self.retryAfter = retryAfter.flatMap(Self.seconds)
        self.text = body
        self.json = Self.parse(body)
    }

    /// The server's message: `error`, else a string `detail`, else `message`.
    var message: String? {
        json?["error"]?.stringValue ?? json?["detail"]?.stringValue ?? json?["message"]?.stringValue
    }

    func decision(for target: Target) -> Decision {
        switch status {
        case 401:
            return .fail(.unauthorized(message: message ?? "Unauthorized"))
        case 404:
            switch target {
            case .server:
                return .fail(unexpected)
            case .flow(let flow):
                return .fail(.flowNotFound(flow: flow))
            case .execution(let flow, let id):
                if message?.hasPrefix("Flow not found") == true { return .fail(.flowNotFound(flow: flow)) }
                return .fail(.executionNotFound(executionId: id))
            }
        case 422:
            return .fail(.validation(detail: json?["detail"] ?? json ?? .string(text)))
        case 429:
            return .retry(after: retryAfter, otherwise: .rateLimited(retryAfter: retryAfter))
        case 503:
            if let pending = json?["pending_tasks"]?.arrayValue {
                return .fail(.notReady(pendingTasks: pending.compactMap(\.stringValue)))
            }
            let otherwise = FlowClientError.serviceUnavailable(
                message: message ?? Self.excerpt(text),
                retryAfter: retryAfter
            )
            return .retry(after: retryAfter, otherwise: otherwise)
        case 500:
            // A flow failure reported as 500 (the original's synchronous webhooks): the execute response's shape.
            if case .flow = target, let json, json["success"]?.boolValue == false,
                json["outputs"] != nil || json["error_type"] != nil || json["execution_id"] != nil
            {
                return .fail(Outcome.failure(json))
            }
            return .fail(unexpected)
        default:
            return .fail(unexpected)
        }
    }

    private var unexpected: FlowClientError { .unexpectedStatus(status: status, body: Self.excerpt(text)) }

    /// At most 200 characters of `text`, whitespace trimmed, with `…` when cut.
    static func excerpt(_ text: String, limit: Int = 200) -> String {
        let trimmed = text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()
        let characters = Array(trimmed)
        guard characters.count > limit else { return String(characters) }
        return String(characters.prefix(limit - 1)) + "…"
    }

    /// `Retry-After` in whole seconds; the HTTP-date form is not used by FlowLang servers and is ignored.
    static func seconds(_ header: String) -> Duration? {
        let digits = header.drop(while: \.isWhitespace)
        guard let seconds = Int(digits.prefix { !$0.isWhitespace }), seconds >= 0 else { return nil }
        return .seconds(seconds)
    }

    private static func parse(_ body: String) -> FlowValue? {
        if let value = try? FlowValue(json: body) { return value }
        for line in body.split(whereSeparator: \.isNewline) where line.hasPrefix("data:") {
            return try? FlowValue(json: String(line.dropFirst("data:".count)))
        }
        return nil
    }
}
