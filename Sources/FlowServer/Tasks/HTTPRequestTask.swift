public import AsyncHTTPClient
public import FlowCore
import Logging
import NIOCore
import NIOHTTP1
import OrderedCollections

extension TaskRegistry {
    /// Registers the built-in HTTP task `HttpRequest`, sending its requests with `client`.
    ///
    /// ```swift
    /// var registry = TaskRegistry()
    /// registry.registerHTTPTasks()
    /// ```
    /// ```yaml
    /// - task: HttpRequest
    ///   id: user
    ///   inputs:
    ///     url: https://api.example.com/users
    ///     query: {id: ${inputs.user_id}}
    ///     headers: {Authorization: "Bearer ${inputs.token}"}
    ///     fail_on_status: true
    /// ```
    /// See ``HTTPRequestTask`` for its inputs and output.
    public mutating func registerHTTPTasks(client: HTTPClient = .shared) {
        register(HTTPRequestTask.task(client: client))
    }
}

/// `HttpRequest`: sends one HTTP request and returns the response.
///
/// Inputs:
/// * `url` (required): an `http` or `https` URL.
/// * `method`: `GET` unless given.
/// * `headers`: an object of header names to strings.
/// * `query`: an object appended to the URL's query, percent-encoded; a list repeats its name, `null` is left out.
/// * `json`: any value, sent as a JSON body with `content-type: application/json` (unless `headers` sets one);
///   or `body`: a string, sent as `text/plain; charset=utf-8` (unless `headers` sets one). Not both.
/// * `timeout_ms`: how long the whole request may take, from connecting (a refused connection is retried until
///   then) to the last byte of the body; 30000 unless given.
/// * `fail_on_status`: when true a status of 400 or above fails the step with type `HTTPStatusError`;
///   false unless given, so flows can branch on `status` and `ok`.
/// * `max_response_bytes`: larger responses fail with type `HTTPResponseTooLargeError`; 10 MiB unless given.
///
/// Output: `{status, headers, body, json, ok}`: header names lower-cased (repeated headers joined with `, `),
/// the body as text, `json` the body parsed as JSON or `null`, and `ok` true for a 2xx status.
///
/// Invalid inputs fail with type `InvalidTaskInput`; a connection failure or timeout with `HTTPRequestError`.
/// Cancelling the execution cancels the request.
public enum HTTPRequestTask {
    /// The task's name in flows.
    public static let name = "HttpRequest"

    /// The task, sending its requests with `client`.
    public static func task(client: HTTPClient = .shared) -> RegisteredTask {
        RegisteredTask(
            name: name,
            description: "Sends an HTTP request (method, url, headers, query, json or body, timeout_ms) and returns "
                + "status, headers, body, parsed json and ok.",
            isImplemented: true,
            isBuiltin: true,
            handler: { inputs, context in
                let input = try HTTPRequestInput(inputs)
                return try await perform(input, client: client, logger: context.logger, clock: context.clock)
            }
        )
    }

    /// The timeout fired first.
    private struct TimedOut: Error {}

    static func perform(_ input: HTTPRequestInput, client: HTTPClient, logger: Logger, clock: any Clock<Duration>)
        async throws -> FlowValue
    {
        var request = HTTPClientRequest(url: input.url)
        request.method = HTTPMethod(rawValue: input.method)
        for header in input.headers { request.headers.add(name: header.name, value: header.value) }
        if let body = input.body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let target = "\(input.method) \(input.url)"
        let timeout = Duration.milliseconds(input.timeoutMilliseconds)
        logger.debug("sending HTTP request", metadata: [LogKey.method: "\(input.method)", LogKey.url: "\(input.url)"])
        let output: FlowValue
        do {
            // The client's deadline covers connecting (refused connections are retried until then) and the
            // response head, on the wall clock as NIO's deadlines are; the rest of the time is left for the
            // body, timed on the execution's clock.
            let started = ContinuousClock.now
            let response = try await client.execute(
                request,
                deadline: .now() + .milliseconds(Int64(input.timeoutMilliseconds)),
                logger: logger
            )
            let remaining = timeout - (ContinuousClock.now - started)
            let body = try await withThrowingTaskGroup(of: ByteBuffer.self) { group in
                group.addTask { try await response.body.collect(upTo: input.maxResponseBytes) }
                group.addTask {
                    try await clock.sleep(for: remaining)
                    throw TimedOut()
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { throw CancellationError() }
                return first
            }
            output = Self.output(response, body: body)
        } catch {
            throw Self.taskError(for: error, target: target, input: input)
        }
        let status = output["status"]?.intValue ?? 0
        logger.debug(
            "HTTP response",
            metadata: [LogKey.method: "\(input.method)", LogKey.url: "\(input.url)", LogKey.status: "\(status)"])
        if input.failOnStatus, status >= 400 {
            var message = "HttpRequest: \(target) answered \(status)"
            if let body = output["body"]?.stringValue, !body.isEmpty {
                message += ": " + (body.count > 200 ? String(body.prefix(200)) + "…" : body)
            }
            throw TaskError(message, type: "HTTPStatusError")
        }
        return output
    }

    private static func output(_ response: HTTPClientResponse, body: ByteBuffer) -> FlowValue {
        var headers = OrderedDictionary<String, FlowValue>()
        for (name, value) in response.headers {
            let key = name.lowercased()
            if case .string(let earlier) = headers[key] {
                headers[key] = .string(earlier + ", " + value)
            } else {
                headers[key] = .string(value)
            }
        }
        let text = String(decoding: body.readableBytesView, as: UTF8.self)
        let json = (try? FlowValue(json: text)) ?? .null
        let status = Int(response.status.code)
        return [
            "status": .int(status), "headers": .object(headers), "body": .string(text), "json": json,
            "ok": .bool((200..<300).contains(status)),
        ]
    }

    /// What a failed request ends with: cancellation when the execution was cancelled, else a `TaskError`.
    private static func taskError(for error: any Error, target: String, input: HTTPRequestInput) -> any Error {
        if Task.isCancelled || error is CancellationError { return CancellationError() }
        if error is TimedOut {
            return TaskError(
                "HttpRequest: \(target) timed out after \(input.timeoutMilliseconds) ms", type: "HTTPRequestError")
        }
        if error is NIOTooManyBytesError {
            return TaskError(
                "HttpRequest: the response to \(target) is larger than max_response_bytes (\(input.maxResponseBytes) bytes)",
                type: "HTTPResponseTooLargeError"
            )
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return TaskError(
                    "HttpRequest: \(target) timed out after \(input.timeoutMilliseconds) ms",
                    type: "HTTPRequestError"
                )
            case .invalidURL, .emptyHost, .emptyScheme:
                return TaskError(
                    "HttpRequest: '\(input.url)' is not a URL that can be requested (\(error.shortDescription))",
                    type: "InvalidTaskInput"
                )
            default:
                return TaskError(
                    "HttpRequest: \(target) failed: \(error.shortDescription.lowercased())",
                    type: "HTTPRequestError"
                )
            }
        }
        return TaskError("HttpRequest: \(target) failed: \(error)", type: "HTTPRequestError")
    }
}
