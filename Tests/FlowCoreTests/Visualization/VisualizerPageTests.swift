import FlowCore
import Testing

/// The HTML page of `flowlang visualize --format html` and `GET /flows/{name}/visualize?format=html`: the
/// SVG image inline and the Mermaid source, nothing loaded.
@Suite("Diagram page")
struct VisualizerPageTests {
    @Test func pageEmbedsTheSVGInlineWithTheHTMLEscapedMermaidSourceAndLoadsNothing() throws {
        let page = try Diagram.page(
            """
            flow: X
            steps:
              - task: A
            """
        )
        let escapedSource = """
            flowchart TD
                node0((&quot;Start&quot;))
                node1[&quot;A&quot;]
                node2((&quot;End&quot;))
                node0 --&gt; node1
                node1 --&gt; node2
            """
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(page.hasSuffix("</html>\n"))
        #expect(page.contains("<title>X - Flow Visualization</title>"))
        #expect(page.contains("<h1>X</h1>"))
        #expect(page.contains("<pre>\(escapedSource)</pre>"))
        #expect(
            page.contains(
                "<figure class=\"diagram-container\">\n"
                    + SVGDiagram.render(try loadFlow("flow: X\nsteps:\n  - task: A\n"))))
        #expect(!page.contains("<script"))
        #expect(!page.contains("onclick"))
        #expect(page.ranges(of: "http").count == 1, "only the SVG namespace")
        #expect(!page.contains("```"))
    }

    @Test func flowTextCannotInjectMarkupIntoThePage() throws {
        let page = try Diagram.page(
            """
            flow: <img src=x onerror=alert(1)>
            description: 'Says "hi" & <b>bye</b>'
            steps:
              - task: 'Say "hi" <script>alert(1)</script>'
            """
        )
        #expect(page.contains("<title>&lt;img src=x onerror=alert(1)&gt; - Flow Visualization</title>"))
        #expect(page.contains("<h1>&lt;img src=x onerror=alert(1)&gt;</h1>"))
        #expect(page.contains("Says &quot;hi&quot; &amp; &lt;b&gt;bye&lt;/b&gt;"))
        #expect(
            page.contains(
                "node1[&quot;Say &amp;quot;hi&amp;quot; &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;&quot;]"))
        #expect(!page.contains("<img"))
        #expect(!page.contains("<b>"))
        #expect(!page.contains("<script"), "the page has no script of its own either")
        #expect(
            page.contains("<title>&lt;img src=x onerror=alert(1)&gt;</title>\n<style>"), "the image's title, escaped")
    }

    @Test func helloWorldPageShowsTheSameDiagramAsTheMermaidOutput() throws {
        let flow = try loadFlow(
            """
            flow: HelloWorld
            inputs:
              - name: user_name
            steps:
              - task: ValidateUser
            """
        )
        let page = DiagramPage.html(for: flow)
        let fenced = MermaidDiagram.render(flow)
        let source = fenced.dropFirst("```mermaid\n".count).dropLast("\n```".count)
        let escaped = source.replacing("&", with: "&amp;").replacing("\"", with: "&quot;")
            .replacing("<", with: "&lt;").replacing(">", with: "&gt;")
        #expect(page.contains("<pre>\(escaped)</pre>"))
        #expect(page.contains("Inputs:&lt;br/&gt;user_name"))
    }
}
