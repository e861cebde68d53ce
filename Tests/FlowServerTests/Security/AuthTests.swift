import FlowCore
import FlowServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// API keys (`FLOWLANG_API_KEYS`): every route but the health probes needs `X-API-Key` or a bearer token.
@Suite(.timeLimit(.minutes(1)))
struct AuthTests {
    static let apiKey = HTTPField.Name("X-API-Key")!

    static func app(keys: [String] = ["key-one", "key-two"], flow: String = ServerFlows.greeting) throws
        -> some ApplicationProtocol
    {
        var configuration = TestFlowServer.configuration()
        configuration.apiKeys = APIKeySet(keys)
        return try TestFlowServer.single(flow, configuration: configuration)
    }

    @Test func aMissingKeyIs401WithAChallengeInTheErrorEnvelope() async throws {
        try await Self.app().test(.router) { client async throws in
            let response = try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"])
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="flowlang""#)
            let body = try response.json()
            #expect(body["success"] == false)
            #expect(body["status_code"] == 401)
            #expect(body["error"] == "Missing API key: send it as X-API-Key or Authorization: Bearer")
        }
    }

    @Test(arguments: ["/", "/flows", "/flows/Greeting", "/openapi.json", "/flows/Greeting/executions", "/nowhere"])
    func everyOtherRouteNeedsAKey(_ uri: String) async throws {
        try await Self.app().test(.router) { client async throws in
            let response = try await client.get(uri)
            #expect(response.status == .unauthorized)
        }
    }

    @Test func aWrongKeyIs401AndDoesNotEchoTheKey() async throws {
        try await Self.app().test(.router) { client async throws in
            for headers: HTTPFields in [
                [Self.apiKey: "key-three"], [.authorization: "Bearer key-on"], [Self.apiKey: "key-one-"],
            ] {
                let response = try await client.executeFlow(
                    "Greeting", inputs: ["user_name": "Alice"], headers: headers)
                #expect(response.status == .unauthorized)
                #expect(try response.json()["error"] == "Invalid API key")
                #expect(!response.text.contains("key-"))
            }
        }
    }

    @Test func aMalformedAuthorizationHeaderIs401() async throws {
        try await Self.app().test(.router) { client async throws in
            let response = try await client.get("/flows", headers: [.authorization: "Basic a2V5LW9uZQ=="])
            #expect(response.status == .unauthorized)
            #expect(try response.json()["error"] == "Invalid Authorization header format. Expected: Bearer <token>")
        }
    }

    @Test(
        arguments: [
            [AuthTests.apiKey: "key-one"], [AuthTests.apiKey: "key-two"], [.authorization: "Bearer key-one"],
            [.authorization: "bearer   key-two"],
        ] as [HTTPFields])
    func theRightKeyInEitherHeaderIsAccepted(_ headers: HTTPFields) async throws {
        try await Self.app().test(.router) { client async throws in
            let response = try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"], headers: headers)
            #expect(response.status == .ok)
            #expect(try response.json()["outputs"] == ["message": "Hello, Alice!", "count": 2])
        }
    }

    @Test(arguments: ["/health", "/ready"])
    func theHealthProbesNeedNoKey(_ uri: String) async throws {
        try await Self.app().test(.router) { client async throws in
            let response = try await client.get(uri)
            #expect(response.status == .ok)
        }
    }

    @Test func noKeysConfiguredMeansNoAuthentication() async throws {
        try await Self.app(keys: []).test(.router) { client async throws in
            let response = try await client.get("/flows")
            #expect(response.status == .ok)
        }
    }

    @Test func aWebhookWithItsOwnAuthUsesItInsteadOfTheAPIKey() async throws {
        let flow =
            ServerFlows.greeting + """

                triggers:
                  - type: webhook
                    path: /hooks/greet
                    method: POST
                    auth: {type: bearer, token: hook-secret}
                  - type: webhook
                    id: open_hook
                    path: /hooks/open
                    method: POST
                """
        try await Self.app(flow: flow).test(.router) { client async throws in
            let hooked = try await client.post(
                "/hooks/greet", body: #"{"user_name": "Hook"}"#, headers: [.authorization: "Bearer hook-secret"]
            )
            #expect(hooked.status == .ok)
            let wrongToken = try await client.post(
                "/hooks/greet", body: #"{"user_name": "Hook"}"#, headers: [.authorization: "Bearer key-one"])
            #expect(wrongToken.status == .unauthorized)
            #expect(try wrongToken.json()["error"] == "Invalid bearer token")
            // A webhook without auth of its own is protected by the API key like any route.
            #expect(try await client.post("/hooks/open", body: #"{"user_name": "Hook"}"#).status == .unauthorized)
            let keyed = try await client.post(
                "/hooks/open", body: #"{"user_name": "Hook"}"#, headers: [Self.apiKey: "key-two"])
            #expect(keyed.status == .ok)
        }
    }
}
