import FlowCore
import FlowServer
import Foundation
import HummingbirdTesting
import Testing

/// The execution page's view of steps: loops expanded into iterations and subflows into their steps, steps
/// without events marked "not run" once the run ended, one timeline row per step path, values escaped there.
@Suite(.timeLimit(.minutes(1)))
struct ConsoleStepViewTests {
    static let orders = """
        flow: Orders
        inputs:
          - name: items
            type: array
          - name: express
            type: boolean
            default: false
        steps:
          - for_each: ${inputs.items}
            as: item
            do:
              - task: Echo
                id: pack
                inputs: {item: "${item}"}
          - if: ${inputs.express} == true
            then:
              - task: Echo
                id: courier
            else:
              - task: Echo
                id: post
          - task: Echo
            id: done
        """

    @Test func aLoopShowsEachIterationInItsOwnExpandableSection() async throws {
        let app = try TestFlowServer.single(Self.orders)
        try await app.test(.router) { client in
            let id = try #require(
                try await client.executeFlow("Orders", inputs: ["items": ["a", "b", "c"]]).executionId)
            let page = try await client.get("/ui/executions/\(id)").text
            #expect(page.contains(#"<details class="loop" data-step-id="0" data-pattern="0">"#))
            #expect(page.contains(#"Loop <code>0</code> (for each item): <span class="count">3 iterations</span>"#))
            for index in 0..<3 {
                #expect(page.contains(#"<details class="iteration" data-step-id="0[\#(index)]">"#))
                #expect(page.contains(#"data-step="pack" data-step-id="0[\#(index)].0" data-pattern="0[*].0""#))
                #expect(page.contains(#"<g class="row" data-step-id="0[\#(index)].0" data-status="completed""#))
            }
            #expect(page.contains("3 completed"))
            #expect(
                page.contains(#"data-step-id="0" data-status="completed""#),
                "the loop's node has its iterations' status")
            #expect(page.contains("×3"), "the diagram counts the iterations")
        }
    }

    @Test func eachTimelineRowCarriesItsDurationAndTheLabelTheLiveScriptKeepsInItsTooltip() async throws {
        let app = try TestFlowServer.single(Self.orders)
        try await app.test(.router) { client in
            let id = try #require(try await client.executeFlow("Orders", inputs: ["items": ["a"]]).executionId)
            let page = try await client.get("/ui/executions/\(id)").text
            let row = try #require(page.range(of: #"<g class="row" data-step-id="0[0].0""#))
            let tag = page[row.lowerBound...].prefix { $0 != ">" }
            let duration = try #require(tag.range(of: #"data-duration-ms="(\d+)""#, options: .regularExpression))
            #expect(Int(tag[duration].dropFirst(18).dropLast()) != nil, "duration in whole milliseconds: \(tag)")
            #expect(page.contains(#"<title data-label="pack [0] at 0[0].0">pack [0] at 0[0].0: completed, "#))
        }
    }

    @Test func stepsWithoutEventsInAFinishedRunAreNotRunOnTheDiagramAndInTheList() async throws {
        let app = try TestFlowServer.single(Self.orders)
        try await app.test(.router) { client in
            let id = try #require(try await client.executeFlow("Orders", inputs: ["items": []]).executionId)
            let page = try await client.get("/ui/executions/\(id)").text
            #expect(page.contains(#"data-step-id="1.then.0" data-step="courier" data-status="not-run""#))
            #expect(page.contains(#"data-step-id="1.else.0" data-step="post" data-status="completed""#))
            #expect(page.contains(#"data-step-id="0[*].0" data-step="pack" data-status="not-run""#))
            #expect(page.contains(#"data-step-id="0" data-status="not-run""#), "an empty loop did not run")
            #expect(
                page.contains(
                    #"data-step="courier" data-step-id="1.then.0" data-pattern="1.then.0"><summary><code>courier</code>"#
                ))
            #expect(page.contains(#"<span class="status" data-status="not-run">not run</span>"#))
            #expect(!page.contains(#"data-status="pending""#))
        }
    }

    @Test func aSubflowStepShowsItsSubflowsStepsWithTheirStatuses() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "console-subflow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "flow: Child\nsteps:\n  - task: Echo\n    id: inner\n    inputs: {note: \"<b>bold</b>\"}\n"
            .write(to: directory.appending(path: "Child.yaml"), atomically: true, encoding: .utf8)
        let parent = directory.appending(path: "flow.yaml")
        try "flow: Parent\nsteps:\n  - subflow: Child\n    id: call\n".write(
            to: parent, atomically: true, encoding: .utf8)
        let flow = ServedFlow(
            definition: try FlowLoader().load(contentsOf: parent.path), registry: TaskRegistry(),
            directory: directory.path
        )
        try await TestFlowServer.multi([flow]).test(.router) { client in
            let id = try #require(try await client.executeFlow("Parent").executionId)
            let page = try await client.get("/ui/executions/\(id)").text
            #expect(page.contains(#"data-step="call" data-step-id="0" data-pattern="0">"#))
            #expect(page.contains("Steps of subflow <code>Child</code>"))
            #expect(
                page.contains(
                    #"<ol class="steps nested"><li><details class="step" data-step="inner" data-step-id="0.subflow.0""#)
            )
            #expect(page.contains("&lt;b&gt;bold&lt;/b&gt;") && !page.contains("<b>bold</b>"))
            #expect(page.contains(#"data-step-id="0" data-step="call" data-status="completed""#))
        }
    }

    @Test func htmlInLoopItemsIsEscapedInTheIterations() async throws {
        let app = try TestFlowServer.single(Self.orders)
        try await app.test(.router) { client in
            let item = "<img src=x onerror=alert(1)>"
            let id = try #require(
                try await client.executeFlow("Orders", inputs: ["items": [.string(item)]]).executionId)
            let page = try await client.get("/ui/executions/\(id)").text
            #expect(!page.contains("<img"))
            let iteration = try #require(page.range(of: #"<details class="iteration" data-step-id="0[0]">"#))
            #expect(page[iteration.upperBound...].contains("&quot;&lt;img src=x onerror=alert(1)&gt;&quot;"))
        }
    }

    @Test func stepEventsCarryTheStepsPathForEachIteration() async throws {
        let app = try TestFlowServer.single(Self.orders)
        try await app.test(.router) { client in
            let stream = try await client.streamFlow("Orders", inputs: ["items": ["a", "b"]]).text
            #expect(stream.contains(#""step_path":"0[0].0""#) && stream.contains(#""step_path":"0[1].0""#))
            #expect(stream.contains(#""step_path":"1.else.0""#) && stream.contains(#""step_path":"2""#))
        }
    }
}
