import FlowCore
import FlowServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OrderedCollections
import Testing

/// The console behind the API keys: a page asks for the key, a valid key sets a cookie for `/ui` only, the
/// API never takes that cookie; the assets need no key; and the setting that turns the console off.
@Suite(.timeLimit(.minutes(1)))
struct ConsoleAccessTests {
    static func keyed() throws -> some ApplicationProtocol {
        var configuration = TestFlowServer.configuration()
        configuration.apiKeys = APIKeySet(["sk-console"])
        return try TestFlowServer.single(ServerFlows.greeting, configuration: configuration)
    }

    @Test func withKeysOnAPageAsksForTheKeyAndAValidKeyOpensTheConsoleForThisSession() async throws {
        try await Self.keyed().test(.router) { client in
            let prompt = try await client.get("/ui/executions")
            #expect(prompt.status == .unauthorized)
            #expect(prompt.text.contains("id=\"key-form\""))
            #expect(prompt.text.contains(#"name="next" value="/ui/executions""#))
            let form = "application/x-www-form-urlencoded"
            let wrong = try await client.post("/ui/key", body: "key=nope&next=%2Fui%2Fexecutions", contentType: form)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("That key is not valid."))
            let right = try await client.post(
                "/ui/key", body: "key=sk-console&next=%2Fui%2Fexecutions", contentType: form)
            #expect(right.status == .seeOther)
            #expect(right.headers[.location] == "/ui/executions")
            let cookie = try #require(right.headers[.setCookie])
            #expect(cookie == "flowlang_console_key=sk-console; Path=/ui; HttpOnly; SameSite=Strict")
            let page = try await client.get("/ui/executions", headers: [.cookie: "flowlang_console_key=sk-console"])
            #expect(page.status == .ok)
            let api = try await client.get("/flows", headers: [.cookie: "flowlang_console_key=sk-console"])
            #expect(api.status == .unauthorized)
            let header = try await client.get("/ui", headers: [HTTPField.Name("X-API-Key")!: "sk-console"])
            #expect(header.status == .ok)
        }
    }

    @Test func theKeyFormOnlyReturnsToConsolePages() async throws {
        try await Self.keyed().test(.router) { client in
            for next in ["https%3A%2F%2Fevil.example%2F", "%2F%2Fevil.example", "%2Fflows"] {
                let response = try await client.post(
                    "/ui/key", body: "key=sk-console&next=\(next)", contentType: "application/x-www-form-urlencoded"
                )
                #expect(response.headers[.location] == "/ui", "\(next)")
            }
        }
    }

    @Test func assetsNeedNoKeyAndAnswer304ToTheirETag() async throws {
        try await Self.keyed().test(.router) { client in
            for path in ["/ui/assets/console.js", "/ui/assets/console.css", "/ui/assets/diagram.css"] {
                let response = try await client.get(path)
                #expect(response.status == .ok, "\(path)")
                let etag = try #require(response.headers[.eTag])
                let again = try await client.get(path, headers: [.ifNoneMatch: etag])
                #expect(again.status == .notModified, "\(path)")
                #expect(again.body.readableBytes == 0)
                let stale = try await client.get(path, headers: [.ifNoneMatch: "\"other\""])
                #expect(stale.status == .ok)
            }
            let missing = try await client.get(
                "/ui/assets/missing.js", headers: [HTTPField.Name("X-API-Key")!: "sk-console"])
            #expect(missing.status == .notFound)
        }
    }

    @Test func theConsoleSettingOffServesNoConsoleButTheAPIAndDocs() async throws {
        var configuration = TestFlowServer.configuration()
        configuration.console = false
        let app = try TestFlowServer.single(ServerFlows.greeting, configuration: configuration)
        try await app.test(.router) { client in
            let console = try await client.get("/ui")
            let asset = try await client.get("/ui/assets/console.js")
            let flows = try await client.get("/flows")
            let docs = try await client.get("/docs")
            #expect(console.status == .notFound)
            #expect(asset.status == .notFound)
            #expect(flows.status == .ok)
            #expect(docs.status == .ok)
        }
    }

    @Test func theOpenAPIDocumentLeavesTheConsoleOut() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let paths = try #require(try await client.get("/openapi.json").json()["paths"]?.objectValue)
            #expect(paths.keys.contains("/executions"))
            #expect(!paths.keys.contains { $0.hasPrefix("/ui") })
        }
    }
}
