import FlowCore
import FlowServer
import Foundation
import HummingbirdTesting
import Testing

/// The run form of a flow page, generated from the declared inputs.
@Suite(.timeLimit(.minutes(1)))
struct ConsoleFormTests {
    static let everyType = """
        flow: EveryType
        description: Takes one input of each type
        inputs:
          - name: title
            type: string
            required: true
            description: A <b>title</b>
          - name: count
            type: integer
            default: 3
            minimum: 1
            maximum: 10
          - name: ratio
            type: number
          - name: urgent
            type: boolean
            default: false
          - name: size
            type: string
            enum: [small, large]
            default: large
          - name: tags
            type: array
          - name: options
            type: object
        steps:
          - task: Echo
            id: echo
            inputs: {title: "${inputs.title}"}
        outputs:
          - name: title
            value: ${echo.title}
        """

    @Test func eachInputGetsAControlForItsTypeWithItsDefaultBoundsAndRequiredness() async throws {
        let app = try TestFlowServer.single(Self.everyType)
        try await app.test(.router) { client in
            let page = try await client.get("/ui/flows/EveryType").text
            #expect(page.contains(#"data-input="title" data-type="string" type="text" value="" required"#))
            #expect(
                page.contains(
                    #"data-input="count" data-type="integer" type="number" step="1" min="1" max="10" value="3""#))
            #expect(page.contains(#"data-input="ratio" data-type="number" type="number" step="any""#))
            #expect(
                page.contains(
                    #"data-type="boolean"><option value="">(not given)</option><option value="true">true</option><option value="false" selected>"#
                ))
            #expect(page.contains(#"<option value="&quot;large&quot;" selected>large</option>"#))
            #expect(page.contains(#"<textarea id="input-5" name="tags" data-input="tags" data-type="array""#))
            #expect(page.contains(#"data-input="options" data-type="object""#))
            #expect(page.contains("A &lt;b&gt;title&lt;/b&gt;"))
            #expect(page.contains("data-execute=\"/flows/EveryType/execute\""))
        }
    }

    @Test func runAgainFillsTheFormWithThatRunsInputs() async throws {
        let app = try TestFlowServer.single(Self.everyType)
        try await app.test(.router) { client in
            let inputs: FlowValue = ["title": "Q4 <report>", "count": 7, "tags": ["a", "b"], "size": "small"]
            let id = try #require(try await client.executeFlow("EveryType", inputs: inputs).executionId)
            let page = try await client.get("/ui/flows/EveryType?run=\(id)").text
            #expect(page.contains(#"value="Q4 &lt;report&gt;""#))
            #expect(page.contains(#"max="10" value="7""#))
            #expect(page.contains(#"<option value="&quot;small&quot;" selected>"#))
            #expect(page.contains("&quot;a&quot;,"))
        }
    }
}
