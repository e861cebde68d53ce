import FlowCore
import FlowTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FlowServer

/// Per-client rate limiting (`RATE_LIMIT`, `RATE_LIMIT_BURST`): token buckets on an injected clock.
@Suite(.timeLimit(.minutes(1)))
struct RateLimitTests {
    static let apiKey = HTTPField.Name("X-API-Key")!
    static let limitHeader = HTTPField.Name("X-RateLimit-Limit")!
    static let remainingHeader = HTTPField.Name("X-RateLimit-Remaining")!

    static func app(_ limit: RateLimit, keys: [String] = [], clock: ManualClock) throws -> some ApplicationProtocol {
        var configuration = TestFlowServer.configuration()
        configuration.rateLimit = limit
        configuration.apiKeys = APIKeySet(keys)
        return try TestFlowServer.single(ServerFlows.greeting, configuration: configuration, clock: clock)
    }

    @Test func aBurstBeyondTheLimitIs429WithRetryAfter() async throws {
        let clock = ManualClock()
        try await Self.app(RateLimit(requests: 3, per: .seconds(1)), clock: clock).test(.router) {
            client async throws in
            var remaining: [String?] = []
            for _ in 0..<3 {
                let response = try await client.get("/flows")
                #expect(response.status == .ok)
                #expect(response.headers[Self.limitHeader] == "3")
                remaining.append(response.headers[Self.remainingHeader])
            }
            #expect(remaining == ["2", "1", "0"])
            let refused = try await client.get("/flows")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "1")
            #expect(refused.headers[Self.remainingHeader] == "0")
            let body = try refused.json()
            #expect(body["success"] == false)
            #expect(body["status_code"] == 429)
            #expect(body["error"] == "Too many requests; retry after 1 second")
        }
    }

    @Test func tokensComeBackAsTheClockMoves() async throws {
        let clock = ManualClock()
        try await Self.app(RateLimit(requests: 2, per: .seconds(1)), clock: clock).test(.router) {
            client async throws in
            for _ in 0..<2 { #expect(try await client.get("/flows").status == .ok) }
            #expect(try await client.get("/flows").status == .tooManyRequests)
            clock.advance(by: .milliseconds(499))
            #expect(try await client.get("/flows").status == .tooManyRequests)
            clock.advance(by: .milliseconds(1))
            #expect(try await client.get("/flows").status == .ok)
            #expect(try await client.get("/flows").status == .tooManyRequests)
        }
    }

    @Test func retryAfterIsWholeSecondsRoundedUp() async throws {
        let clock = ManualClock()
        try await Self.app(RateLimit(requests: 1, per: .seconds(60)), clock: clock).test(.router) {
            client async throws in
            #expect(try await client.get("/flows").status == .ok)
            clock.advance(by: .milliseconds(500))
            #expect(try await client.get("/flows").headers[.retryAfter] == "60")
        }
    }

    @Test func aFloodingClientDoesNotAffectAnother() async throws {
        let clock = ManualClock()
        let app = try Self.app(RateLimit(requests: 2, per: .seconds(60)), keys: ["key-one", "key-two"], clock: clock)
        try await app.test(.router) { client async throws in
            for _ in 0..<5 { _ = try await client.get("/flows", headers: [Self.apiKey: "key-one"]) }
            #expect(try await client.get("/flows", headers: [Self.apiKey: "key-one"]).status == .tooManyRequests)
            // Guessing keys is limited by address, not by the guessed key.
            for guess in 0..<5 { _ = try await client.get("/flows", headers: [Self.apiKey: "guess-\(guess)"]) }
            #expect(try await client.get("/flows", headers: [Self.apiKey: "guess-9"]).status == .tooManyRequests)
            let other = try await client.executeFlow(
                "Greeting", inputs: ["user_name": "Bo"], headers: [.authorization: "Bearer key-two"])
            #expect(other.status == .ok)
        }
    }

    @Test(arguments: ["/health", "/ready"])
    func theHealthProbesAreNotLimited(_ uri: String) async throws {
        let clock = ManualClock()
        try await Self.app(RateLimit(requests: 1, per: .seconds(60)), clock: clock).test(.router) {
            client async throws in
            for _ in 0..<5 { #expect(try await client.get(uri).status == .ok) }
        }
    }

    // MARK: The limiter

    @Test func bucketsOfIdleClientsAreDroppedSoMemoryStaysBounded() {
        let clock = ManualClock()
        let limiter = RateLimiter(limit: RateLimit(requests: 10, per: .seconds(1)), clock: clock, maxClients: 100)
        for client in 0..<1000 { _ = limiter.take(client: "address:\(client)") }
        #expect(limiter.clientCount <= 100)
        clock.advance(by: .seconds(1))
        _ = limiter.take(client: "busy")
        for client in 0..<50 { _ = limiter.take(client: "new:\(client)") }
        // Past the bound every refilled bucket went at once: only the busy client and the newcomers are left.
        #expect(limiter.clientCount == 51)
        #expect(limiter.take(client: "busy").remaining == 8)
    }

    @Test func aRefusedRequestSaysWhenTheNextTokenArrives() {
        let clock = ManualClock()
        let limiter = RateLimiter(limit: RateLimit(requests: 4, per: .seconds(1), burst: 1), clock: clock)
        #expect(limiter.take(client: "a") == .init(isAllowed: true, remaining: 0, retryAfter: .zero))
        clock.advance(by: .milliseconds(100))
        let refused = limiter.take(client: "a")
        #expect(!refused.isAllowed)
        #expect(refused.retryAfter > .milliseconds(149) && refused.retryAfter < .milliseconds(151))
    }
}
