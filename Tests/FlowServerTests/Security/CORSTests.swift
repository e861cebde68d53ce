import FlowCore
import FlowServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// CORS (`CORS_ALLOWED_ORIGINS`): off by default; preflights and response headers for allowed origins.
@Suite(.timeLimit(.minutes(1)))
struct CORSTests {
    static let allowed = "https://app.example.com"

    static func app(origins: [String], keys: [String] = []) throws -> some ApplicationProtocol {
        var configuration = TestFlowServer.configuration()
        configuration.corsAllowedOrigins = origins
        configuration.apiKeys = APIKeySet(keys)
        return try TestFlowServer.single(ServerFlows.greeting, configuration: configuration)
    }

    static func preflight(origin: String) -> HTTPFields {
        [.origin: origin, .accessControlRequestMethod: "POST", .accessControlRequestHeaders: "content-type, x-api-key"]
    }

    @Test func aPreflightFromAnAllowedOriginIsAnsweredBeforeAuthentication() async throws {
        try await Self.app(origins: [Self.allowed], keys: ["secret"]).test(.router) { client async throws in
            let response = try await client.execute(
                uri: "/flows/Greeting/execute", method: .options, headers: Self.preflight(origin: Self.allowed)
            )
            #expect(response.status == .noContent)
            #expect(response.headers[.accessControlAllowOrigin] == Self.allowed)
            #expect(response.headers[.accessControlAllowMethods] == "GET, POST, OPTIONS")
            #expect(response.headers[.accessControlAllowHeaders]?.contains("X-API-Key") == true)
            #expect(response.headers[.vary] == "Origin")
        }
    }

    @Test func responsesToAnAllowedOriginCarryTheHeadersEvenWhenRefused() async throws {
        try await Self.app(origins: [Self.allowed], keys: ["secret"]).test(.router) { client async throws in
            let refused = try await client.get("/flows", headers: [.origin: Self.allowed])
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.accessControlAllowOrigin] == Self.allowed)
            let served = try await client.get(
                "/flows", headers: [.origin: Self.allowed, .authorization: "Bearer secret"])
            #expect(served.status == .ok)
            #expect(served.headers[.accessControlAllowOrigin] == Self.allowed)
            #expect(served.headers[.accessControlExposeHeaders]?.contains("X-Execution-Id") == true)
        }
    }

    @Test func anotherOriginGetsNoCORSHeaders() async throws {
        try await Self.app(origins: [Self.allowed]).test(.router) { client async throws in
            let preflight = try await client.execute(
                uri: "/flows/Greeting/execute", method: .options,
                headers: Self.preflight(origin: "https://evil.example")
            )
            #expect(preflight.headers[.accessControlAllowOrigin] == nil)
            #expect(preflight.status != .noContent)
            let response = try await client.get("/flows", headers: [.origin: "https://evil.example"])
            #expect(response.status == .ok)
            #expect(response.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func aWildcardAllowsAnyOrigin() async throws {
        try await Self.app(origins: ["*"]).test(.router) { client async throws in
            let response = try await client.get("/flows", headers: [.origin: "https://anything.example"])
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            #expect(response.headers[.vary] == nil)
        }
    }

    @Test func aPreflightAnswerNamesTheHeadersAndMethodsForTenMinutesWithoutCredentials() async throws {
        try await Self.app(origins: [Self.allowed]).test(.router) { client async throws in
            let response = try await client.execute(
                uri: "/flows/Greeting/execute", method: .options, headers: Self.preflight(origin: Self.allowed)
            )
            #expect(response.status == .noContent)
            #expect(
                response.headers[.accessControlAllowHeaders]
                    == "Accept, Authorization, Content-Type, Last-Event-ID, Prefer, X-API-Key")
            #expect(response.headers[.accessControlMaxAge] == "600")
            #expect(response.headers[.accessControlAllowCredentials] == nil)
            #expect(response.headers[.accessControlExposeHeaders] == nil)
            #expect(response.body.readableBytes == 0)
        }
    }

    @Test func aWildcardPreflightAllowsAnyOriginWithoutVary() async throws {
        try await Self.app(origins: ["*"]).test(.router) { client async throws in
            let response = try await client.execute(
                uri: "/flows/Greeting/execute", method: .options,
                headers: Self.preflight(origin: "https://anything.example")
            )
            #expect(response.status == .noContent)
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            #expect(response.headers[.vary] == nil)
        }
    }

    @Test func originsMatchWhateverTheirCaseAndAreAnsweredAsConfigured() async throws {
        try await Self.app(origins: [Self.allowed]).test(.router) { client async throws in
            let preflight = try await client.execute(
                uri: "/flows/Greeting/execute", method: .options,
                headers: Self.preflight(origin: "HTTPS://App.Example.com")
            )
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == Self.allowed)
            let response = try await client.get("/flows", headers: [.origin: "HTTPS://App.Example.com"])
            #expect(response.headers[.accessControlAllowOrigin] == Self.allowed)
        }
    }

    @Test func anOptionsWithoutARequestMethodIsNoPreflightAndIsRouted() async throws {
        try await Self.app(origins: [Self.allowed]).test(.router) { client async throws in
            let response = try await client.execute(
                uri: "/flows/Greeting/execute", method: .options, headers: [.origin: Self.allowed])
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "POST")
            #expect(response.headers[.accessControlAllowOrigin] == Self.allowed)
        }
    }

    @Test func offByDefault() async throws {
        try await TestFlowServer.single(ServerFlows.greeting).test(.router) { client async throws in
            let response = try await client.get("/flows", headers: [.origin: Self.allowed])
            #expect(response.headers[.accessControlAllowOrigin] == nil)
            let preflight = try await client.execute(
                uri: "/flows/Greeting/execute", method: .options, headers: Self.preflight(origin: Self.allowed)
            )
            #expect(preflight.status == .methodNotAllowed)
        }
    }
}
