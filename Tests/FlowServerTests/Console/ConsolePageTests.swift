import FlowCore
import FlowServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The console's pages: served under a Content-Security-Policy with nothing inline, user data escaped, long
/// values cut with the whole one click away, an unknown execution a page that says so.
@Suite(.timeLimit(.minutes(1)))
struct ConsolePageTests {
    /// Whether `html` carries anything the policy `default-src 'self'` would refuse: an inline script or style,
    /// a style attribute or an event handler attribute.
    static func inlineContent(_ html: String) -> [String] {
        let patterns: [Regex<Substring>] = [/<script(?![^>]*\bsrc=)[^>]*>/, /<style/, /\sstyle=/, /\son[a-z]+=/]
        return patterns.flatMap { html.matches(of: $0).map { String($0.output) } }
    }

    @Test func everyPageAnswersUnderThePolicyWithNothingInline() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let id = try #require(try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"]).executionId)
            for path in [
                "/ui", "/ui/flows/Greeting", "/ui/executions", "/ui/executions/\(id)", "/ui/flows/Greeting?run=\(id)",
            ] {
                let response = try await client.get(path)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'") == true, "\(path)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                #expect(Self.inlineContent(response.text).isEmpty, "\(path): \(Self.inlineContent(response.text))")
                #expect(response.text.contains("href=\"/docs\""), "\(path)")
            }
        }
    }

    @Test func anUnknownExecutionGetsAPageSayingSo() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let response = try await client.get("/ui/executions/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            #expect(response.status == .notFound)
            #expect(response.text.contains("Execution not found"))
            #expect(response.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!response.text.contains("<script>alert"))
        }
    }

    @Test func htmlInInputsIsEscapedAndAHugeValueIsCutWithTheWholeBehindAToggle() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let name = "<script>alert('x')</script><img src=x onerror=alert(1)>" + String(repeating: "y", count: 5000)
            let id = try #require(
                try await client.executeFlow("Greeting", inputs: ["user_name": .string(name)]).executionId)
            let page = try await client.get("/ui/executions/\(id)").text
            #expect(!page.contains("<script>alert"))
            #expect(!page.contains("<img src=x"))
            #expect(page.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"))
            #expect(page.contains("Show the whole inputs"))
            #expect(page.contains(String(repeating: "y", count: 5000)))
        }
    }

    @Test func aFailedRunShowsItsFailedStepWithErrorAndAttempts() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let id = try #require(try await client.executeFlow("Greeting", inputs: ["user_name": "boom"]).executionId)
            let page = try await client.get("/ui/executions/\(id)").text
            #expect(page.contains("data-step=\"charge\" data-status=\"failed\""))
            #expect(page.contains("data-step=\"greet\" data-status=\"not-run\""))
            #expect(page.contains("PaymentDeclined: card declined"))
            #expect(page.contains("attempts: 1"))
            #expect(!page.contains("id=\"cancel\""))
        }
    }

    @Test func theFlowPageShowsItsFileWithLineNumbersAndEscaped() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "console-source-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appending(path: "flow.yaml")
        try ("# <b>greets</b>\n" + ServerFlows.greeting).write(to: file, atomically: true, encoding: .utf8)
        let flow = ServedFlow(
            definition: try FlowLoader().load(contentsOf: file.path), registry: TaskRegistry(),
            directory: directory.path)
        try await TestFlowServer.multi([flow]).test(.router) { client in
            let page = try await client.get("/ui/flows/Greeting").text
            #expect(page.contains(#"<li id="L1"><code># &lt;b&gt;greets&lt;/b&gt;</code></li>"#))
            #expect(page.contains(#"<li id="L2"><code>flow: Greeting</code></li>"#))
        }
    }

    @Test func theExecutionsPageFiltersAndLinksTheNextPageWithoutAScript() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            var ids: [String] = []
            for name in ["Alice", "boom", "Bob"] {
                ids.append(
                    try #require(
                        try await client.executeFlow("Greeting", inputs: ["user_name": .string(name)]).executionId))
            }
            let first = try await client.get("/ui/executions?limit=2").text
            #expect(first.contains(ids[2]) && first.contains(ids[1]) && !first.contains(ids[0]))
            let next = try #require(first.firstMatch(of: /rel="next" href="([^"]+)"/)?.output.1)
            let second = try await client.get(String(next).replacingOccurrences(of: "&amp;", with: "&")).text
            #expect(second.contains(ids[0]) && !second.contains(ids[2]))
            let failed = try await client.get("/ui/executions?status=failed&flow=&q=").text
            #expect(failed.contains(ids[1]) && !failed.contains(ids[0]))
        }
    }

    @Test func theFlowsPageCountsRecentRunsByStatusWithTheirDurations() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            for name in ["Alice", "boom", "Bob"] {
                _ = try await client.executeFlow("Greeting", inputs: ["user_name": .string(name)])
            }
            let page = try await client.get("/ui").text
            #expect(
                page.contains(#"status=completed">"#)
                    && page.contains(#"data-status="completed">completed</span> 2</a>"#))
            #expect(page.contains(#"data-status="failed">failed</span> 1</a>"#))
            #expect(page.contains("p50 ") && page.contains("p95 "))
            #expect(page.contains("Greets a user"))
        }
    }

    @Test func theLivePageEventsAreTheRunsEventsUnderTheConsolePath() async throws {
        let app = try TestFlowServer.single(ServerFlows.greeting)
        try await app.test(.router) { client in
            let id = try #require(try await client.executeFlow("Greeting", inputs: ["user_name": "Alice"]).executionId)
            let events = try await client.get("/ui/executions/\(id)/events")
            #expect(events.status == .ok)
            #expect(events.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            #expect(events.text.contains("event: step_completed") && events.text.contains("event: flow_completed"))
            let unknown = try await client.get("/ui/executions/nope/events")
            #expect(unknown.status == .notFound)
        }
    }

    @Test func aFlowWithAThousandStepsRendersItsPageAndARunsPage() async throws {
        let steps = (0..<1000).map { "  - task: Echo\n    id: s\($0)\n    inputs: {n: \($0)}" }.joined(separator: "\n")
        let app = try TestFlowServer.single("flow: Big\nsteps:\n\(steps)\n")
        try await app.test(.router) { client in
            let id = try #require(try await client.executeFlow("Big").executionId)
            let flowPage = try await client.get("/ui/flows/Big")
            #expect(flowPage.status == .ok)
            #expect(flowPage.text.matches(of: /data-step="s\d+"/).count == 1000)
            let runPage = try await client.get("/ui/executions/\(id)").text
            #expect(runPage.matches(of: /data-step-id="\d+" data-step="s\d+" data-status="completed"/).count == 1000)
        }
    }
}
