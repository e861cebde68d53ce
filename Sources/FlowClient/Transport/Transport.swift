import AsyncHTTPClient
import FlowCore
import NIOCore
import NIOHTTP1

/// Sends a client's requests: its headers, the timeout on its clock, retries with backoff, and error answers
/// turned into ``FlowClientError``s.
struct Transport: Sendable {
    /// One request as the client means it; the transport adds the common headers.
    struct Request: Sendable {
        var method: HTTPMethod
        /// The path below the base URL, starting with `/`, segments already encoded.
        var path: String
        var body: [UInt8]?
        var headers: [(name: String, value: String)] = []
        var target: ErrorResponse.Target
        var accept = "application/json"

        /// Whether sending it twice does no harm, so that a connection lost mid-request may be retried.
        var isIdempotent: Bool {
            method == .GET || headers.contains { $0.name.lowercased() == "idempotency-key" }
        }
    }

    /// A 2xx answer with a JSON body.
    struct Reply: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var json: FlowValue
    }

    /// One attempt's outcome when it did not throw.
    private enum Attempt<Success: Sendable>: Sendable {
        case done(Success)
        case retry(after: Duration?, otherwise: FlowClientError)
    }

    /// The most of an error answer's body that is read.
    static let errorBodyLimit = 64 * 1024

    let http: HTTPClient
    let baseURL: BaseURL
    let apiKey: String?
    var configuration: FlowClient.Configuration
    let clock: any Clock<Duration>

    /// The same transport sending each request once.
    var once: Transport {
        var once = self
        once.configuration.retry = .never
        return once
    }

    /// Sends `request` and reads its JSON answer.
    func json(_ request: Request) async throws -> Reply {
        let limit = configuration.maxResponseBytes
        return try await send(request) { response in
            let (body, complete) = try await Self.collect(response.body, upTo: limit)
            guard complete else { throw FlowClientError.invalidResponse("the answer is larger than \(limit) bytes") }
            let text = String(decoding: body.readableBytesView, as: UTF8.self)
            let json: FlowValue
            do throws(JSONParseError) {
                json = try FlowValue(json: text)
            } catch {
                throw FlowClientError.invalidResponse(
                    "the answer is not JSON (\(error.message)): \(ErrorResponse.excerpt(text))"
                )
            }
            return Reply(status: Int(response.status.code), headers: response.headers, json: json)
        }
    }

    /// Sends `request` and returns its 2xx response, with the body still to be read (an event stream).
    func open(_ request: Request) async throws -> HTTPClientResponse {
        try await send(request) { $0 }
    }

    /// Sends `request` until an attempt succeeds, fails for good, or the retry policy gives up.
    private func send<Success: Sendable>(
        _ request: Request,
        read: @escaping @Sendable (HTTPClientResponse) async throws -> Success
    ) async throws -> Success {
        let prepared = prepare(request)
        let policy = configuration.retry
        var attempt = 1
        while true {
            switch try await self.attempt(prepared, request, read: read) {
            case .done(let value):
                return value
            case .retry(let retryAfter, let error):
                guard attempt < policy.maxAttempts else { throw error }
                let delay = retryAfter ?? policy.delay(afterAttempt: attempt)
                guard delay <= policy.maxDelay else { throw error }
                try await clock.sleep(for: delay)
                attempt += 1
            }
        }
    }

    private func attempt<Success: Sendable>(
        _ prepared: HTTPClientRequest,
        _ request: Request,
        read: @escaping @Sendable (HTTPClientResponse) async throws -> Success
    ) async throws -> Attempt<Success> {
        let http = self.http
        let target = request.target
        do {
            return try await withTimeout {
                // Without a deadline of its own: the timeout is measured on the client's clock.
                let response = try await http.execute(prepared, deadline: .distantFuture)
                let status = Int(response.status.code)
                if (200..<300).contains(status) { return .done(try await read(response)) }
                let (body, _) = try await Self.collect(response.body, upTo: Self.errorBodyLimit)
                let answer = ErrorResponse(
                    status: status,
                    retryAfter: response.headers.first(name: "Retry-After"),
                    body: String(decoding: body.readableBytesView, as: UTF8.self)
                )
                switch answer.decision(for: target) {
                case .fail(let error): throw error
                case .retry(let after, let otherwise): return .retry(after: after, otherwise: otherwise)
                }
            }
        } catch let error as FlowClientError {
            throw error
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            let failure = TransportFailure(error)
            switch failure.kind {
            case .connect:
                return .retry(after: nil, otherwise: .transport(failure.message))
            case .lost where request.isIdempotent:
                return .retry(after: nil, otherwise: .transport(failure.message))
            case .invalidURL:
                throw FlowClientError.invalidBaseURL(baseURL.text)
            case .lost, .other:
                throw FlowClientError.transport(failure.message)
            }
        }
    }

    /// `body`'s result, or ``FlowClientError/timeout`` once the configured timeout has passed on the clock.
    private func withTimeout<Result: Sendable>(
        _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        guard let timeout = configuration.timeout else { return try await body() }
        let clock = self.clock
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await clock.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else { throw FlowClientError.timeout }
            return result
        }
    }

    private func prepare(_ request: Request) -> HTTPClientRequest {
        var prepared = HTTPClientRequest(url: baseURL.url(request.path))
        prepared.method = request.method
        prepared.headers.add(name: "User-Agent", value: "FlowClient")
        prepared.headers.add(name: "Accept", value: request.accept)
        for (name, value) in configuration.headers.sorted(by: { $0.key < $1.key }) {
            prepared.headers.replaceOrAdd(name: name, value: value)
        }
        if let apiKey { prepared.headers.replaceOrAdd(name: "X-API-Key", value: apiKey) }
        for header in request.headers { prepared.headers.replaceOrAdd(name: header.name, value: header.value) }
        if let body = request.body {
            prepared.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            prepared.body = .bytes(ByteBuffer(bytes: body))
        }
        return prepared
    }

    /// At most `limit` bytes of `body`, and whether that was all of it.
    static func collect(_ body: HTTPClientResponse.Body, upTo limit: Int) async throws -> (ByteBuffer, complete: Bool) {
        var collected = ByteBuffer()
        for try await var chunk in body {
            let room = limit - collected.readableBytes
            if chunk.readableBytes > room {
                if var part = chunk.readSlice(length: room) { collected.writeBuffer(&part) }
                return (collected, false)
            }
            collected.writeBuffer(&chunk)
        }
        return (collected, true)
    }
}
