/// Everything a ``FlowClient`` call fails with, apart from `CancellationError` when the calling task is cancelled.
///
/// ```swift
/// do {
///     _ = try await client.execute(flow: "Greet", inputs: ["user_name": "fail"])
/// } catch FlowClientError.executionFailed(let error, let errorType, let failedStep) {
///     print("\(failedStep ?? "?") failed with \(errorType ?? "?"): \(error)")
/// }
/// ```
public enum FlowClientError: Error, Sendable, Equatable {
    /// The base URL is not an `http` or `https` URL with a host (and no query or fragment).
    case invalidBaseURL(String)
    /// The server wants an API key, or refused the one sent (401).
    case unauthorized(message: String)
    /// No flow of that name is served (404).
    case flowNotFound(flow: String)
    /// The server knows no execution of that id for the flow (404).
    case executionNotFound(executionId: String)
    /// Some of the flow's tasks are not implemented yet (503 with `pending_tasks`); never retried.
    case notReady(pendingTasks: [String])
    /// The server refused the inputs (422); `detail` is its list of problems, each `{type, loc, msg, input}`.
    case validation(detail: FlowValue)
    /// The flow ran and failed.
    case executionFailed(error: String, errorType: String?, failedStep: String?)
    /// The flow ran and was cancelled: through the API, by a disconnected stream, or by the server.
    case executionCancelled(reason: String?)
    /// The server still answered 429 after the last attempt, or asked for a longer wait than the retry policy's
    /// `maxDelay`.
    case rateLimited(retryAfter: Duration?)
    /// The server still answered 503 after the last attempt: its limit on concurrent executions, or a shutdown.
    case serviceUnavailable(message: String, retryAfter: Duration?)
    /// No response within the configured timeout.
    case timeout
    /// The connection failed (refused, reset, closed, unresolvable host), after the last attempt when retried.
    case transport(String)
    /// An error status the call does not expect, with the start of the body (at most 200 characters).
    case unexpectedStatus(status: Int, body: String)
    /// A successful status whose body is not what the endpoint answers: not JSON, the wrong shape, or too large.
    case invalidResponse(String)
    /// The event stream ended, or its connection closed, before the execution's final event.
    case incompleteStream(String)
    /// The inputs do not encode as a JSON object.
    case invalidInputs(String)
    /// The outputs do not decode as the requested type.
    case decodingFailed(String)
}

extension FlowClientError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidBaseURL(let url):
            "'\(url)' is not a base URL: use http:// or https://, a host, an optional port and path"
        case .unauthorized(let message): "unauthorized: \(message)"
        case .flowNotFound(let flow): "flow not found: \(flow)"
        case .executionNotFound(let id): "execution not found: \(id)"
        case .notReady(let pending): "flow not ready: tasks not implemented: \(pending.joined(separator: ", "))"
        case .validation(let detail): "invalid inputs: \(detail.jsonText)"
        case .executionFailed(let error, let type, let step):
            "execution failed" + (step.map { " in step '\($0)'" } ?? "") + (type.map { " (\($0))" } ?? "")
                + ": \(error)"
        case .executionCancelled(let reason): "execution cancelled" + (reason.map { ": \($0)" } ?? "")
        case .rateLimited(let retryAfter): "rate limited" + (retryAfter.map { "; retry after \($0)" } ?? "")
        case .serviceUnavailable(let message, _): "service unavailable: \(message)"
        case .timeout: "the request timed out"
        case .transport(let message): "connection failed: \(message)"
        case .unexpectedStatus(let status, let body): "unexpected status \(status)" + (body.isEmpty ? "" : ": \(body)")
        case .invalidResponse(let message): "invalid response: \(message)"
        case .incompleteStream(let message): "incomplete event stream: \(message)"
        case .invalidInputs(let message): "invalid inputs: \(message)"
        case .decodingFailed(let message): "outputs do not decode: \(message)"
        }
    }
}
