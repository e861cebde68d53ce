import FlowCore
import FlowServer
import Foundation
import Hummingbird
import HummingbirdTesting
import OrderedCollections
import Testing

/// `GET /flows/{flow}/tasks` (the intended shape, spec §4.4 and S55, where the original always answered 500)
/// and `GET /flows/{flow}/visualize` in JSON, HTML and SVG.
@Suite(.timeLimit(.minutes(1)))
struct TasksAndVisualizeTests {
    static let mixedYAML = """
        flow: Mixed
        steps:
          - task: Echo
            id: echo
          - task: Charge
            id: charge
          - task: Stubby
            id: stubby
          - task: Unregistered
            id: missing
        """

    static func mixedApp() throws -> some ApplicationProtocol {
        var registry = TaskRegistry()
        registry.register("Charge", description: "Charges the card") { _, _ in ["ok": true] }
        registry.registerStub("Stubby", description: "Not written yet")
        return try TestFlowServer.single(Self.mixedYAML, registry: registry)
    }

    // MARK: Tasks

    @Test func tasksOfAFullyImplementedFlowHaveTheIntendedShapeInsteadOfA500() async throws {
        let app = try TestFlowServer.single(HelloWorldFlow.yaml, registry: HelloWorldFlow.implemented)
        try await app.test(.router) { client in
            let response = try await client.get("/flows/HelloWorld/tasks")
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(body["flow"] == "HelloWorld")
            #expect(body["tasks"]?.keys.sorted() == ["GenerateErrorMessage", "GenerateGreeting", "ValidateUser"])
            let validate = try #require(body[path: "tasks.ValidateUser"])
            #expect(validate["description"] == "Validate that the user name is acceptable")
            #expect(validate["implemented"] == true)
            #expect(validate["is_async"] == true)
            let summary = try #require(body["summary"])
            #expect(summary["total"] == 3)
            #expect(summary["implemented"] == 3)
            #expect(summary["pending"] == 0)
            #expect(summary["percentage"]?.doubleValue == 100)
        }
    }

    @Test func tasksReportStubsAndUnregisteredTasksAsNotImplemented() async throws {
        try await Self.mixedApp().test(.router) { client in
            let response = try await client.get("/flows/Mixed/tasks")
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(body[path: "tasks.Echo.implemented"] == true)
            #expect(body[path: "tasks.Charge.implemented"] == true)
            #expect(body[path: "tasks.Charge.description"] == "Charges the card")
            #expect(body[path: "tasks.Stubby.implemented"] == false)
            #expect(body[path: "tasks.Stubby.description"] == "Not written yet")
            #expect(body[path: "tasks.Unregistered.implemented"] == false)
            #expect(body[path: "summary.total"] == 4)
            #expect(body[path: "summary.implemented"] == 2)
            #expect(body[path: "summary.pending"] == 2)
            #expect(body[path: "summary.percentage"]?.doubleValue == 50)
        }
    }

    @Test func tasksOfAnUnknownFlowIs404() async throws {
        try await Self.mixedApp().test(.router) { client in
            let response = try await client.get("/flows/Nope/tasks")
            #expect(response.status == .notFound)
            #expect(try response.json()["error"] == "Flow not found: Nope")
        }
    }

    // MARK: Visualize

    @Test func visualizeDefaultsToJSONWithAFencedMermaidDiagram() async throws {
        let app = try TestFlowServer.single(HelloWorldFlow.yaml, registry: HelloWorldFlow.implemented)
        try await app.test(.router) { client in
            for uri in [
                "/flows/HelloWorld/visualize", "/flows/HelloWorld/visualize?format=json",
                "/flows/HelloWorld/visualize?format=JSON",
            ] {
                let response = try await client.get(uri)
                #expect(response.status == .ok, "\(uri)")
                #expect(response.headers[.contentType] == "application/json")
                let body = try response.json()
                #expect(body.keys == ["flow", "diagram", "format"])
                #expect(body["flow"] == "HelloWorld")
                #expect(body["format"] == "mermaid")
                let diagram = try #require(body["diagram"]?.stringValue)
                #expect(diagram.hasPrefix("```mermaid\nflowchart TD\n"))
                #expect(diagram.hasSuffix("```"))
                #expect(diagram.contains("ValidateUser"))
                #expect(diagram.contains("GenerateGreeting"))
            }
        }
    }

    @Test func visualizeAsHTMLIsAPageWithTheDiagram() async throws {
        let app = try TestFlowServer.single(HelloWorldFlow.yaml, registry: HelloWorldFlow.implemented)
        try await app.test(.router) { client in
            for uri in ["/flows/HelloWorld/visualize?format=html", "/flows/HelloWorld/visualize?format=HTML"] {
                let response = try await client.get(uri)
                #expect(response.status == .ok, "\(uri)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.contentSecurityPolicy] == Self.diagramPolicy)
                let page = response.text
                #expect(page.hasPrefix("<!DOCTYPE html>"))
                #expect(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flowlang-diagram\""))
                #expect(page.contains("data-step-id=\"0\""))
                #expect(page.contains("flowchart TD"), "the Mermaid source is still on the page")
                #expect(page.contains("HelloWorld"))
                #expect(!page.contains("<script"))
                #expect(!page.contains("https://"), "the page loads nothing from outside the server")
                #expect(!page.contains("```"))
            }
        }
    }

    static let diagramPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

    @Test func visualizeAsSVGIsTheBlockLayoutImage() async throws {
        let app = try TestFlowServer.single(HelloWorldFlow.yaml, registry: HelloWorldFlow.implemented)
        try await app.test(.router) { client in
            for uri in ["/flows/HelloWorld/visualize?format=svg", "/flows/HelloWorld/visualize?format=SVG"] {
                let response = try await client.get(uri)
                #expect(response.status == .ok, "\(uri)")
                #expect(response.headers[.contentType] == "image/svg+xml")
                #expect(response.headers[.contentSecurityPolicy] == Self.diagramPolicy)
                let image = response.text
                #expect(image.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
                #expect(image.hasSuffix("</svg>\n"))
                #expect(image.contains("data-step=\"validate\""))
                #expect(image == SVGDiagram.render(try FlowLoader().load(yaml: HelloWorldFlow.yaml)))
            }
        }
    }

    @Test func htmlVisualizationEscapesScriptInFlowText() async throws {
        let yaml = """
            flow: Hostile
            description: "<script>alert('description')</script>"
            inputs:
              - name: mode
                type: string
            steps:
              - if: ${inputs.mode} == "<script>alert(1)</script>"
                then:
                  - exit:
                      reason: "</pre><script>alert(2)</script>"
              - task: Echo
                id: echo
            """
        let app = try TestFlowServer.single(yaml)
        try await app.test(.router) { client in
            let response = try await client.get("/flows/Hostile/visualize?format=html")
            #expect(response.status == .ok)
            let page = response.text
            #expect(!page.contains("<script>alert"))
            #expect(!page.contains("</pre><script>"))
            #expect(page.contains("&lt;script&gt;") || page.contains("&amp;lt;script&amp;gt;"))
            #expect(!page.contains("<script"), "the page has no script at all")

            let json = try await client.get("/flows/Hostile/visualize").json()
            let diagram = try #require(json["diagram"]?.stringValue)
            #expect(!diagram.contains("<script>"))
        }
    }

    @Test func unknownVisualizeFormatIs400Envelope() async throws {
        let app = try TestFlowServer.single(HelloWorldFlow.yaml, registry: HelloWorldFlow.implemented)
        try await app.test(.router) { client in
            let response = try await client.get("/flows/HelloWorld/visualize?format=png")
            #expect(response.status == .badRequest)
            let body = try response.json()
            #expect(body["success"] == false)
            #expect(body["status_code"] == 400)
            #expect(body["error"] == "Unknown format 'png'; use json, mermaid, html or svg")
        }
    }

    @Test func visualizeOfAnUnknownFlowIs404() async throws {
        let app = try TestFlowServer.single(HelloWorldFlow.yaml, registry: HelloWorldFlow.implemented)
        try await app.test(.router) { client in
            let response = try await client.get("/flows/Nope/visualize?format=html")
            #expect(response.status == .notFound)
            #expect(try response.json()["error"] == "Flow not found: Nope")
        }
    }
}
