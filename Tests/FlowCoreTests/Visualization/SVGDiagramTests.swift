import FlowCore
import Foundation
import Testing

/// What the SVG diagram shows and how it is written: labels, loops, edge kinds, escaping, themes, size and
/// determinism.
@Suite("SVG diagram")
struct SVGDiagramTests {
    static func geometry(_ yaml: String, loopCounts: [String: Int] = [:]) throws -> SVGGeometry {
        SVGGeometry(SVGDiagram.render(try loadFlow(yaml), loopCounts: loopCounts))
    }

    @Test func aFlowOfAThousandStepsDrawsANodeForEveryStep() throws {
        var yaml = "flow: Big\nsteps:\n"
        for group in 0..<100 {
            yaml += """
                  - task: First\(group)
                  - task: Second\(group)
                  - if: ${inputs.flag} == true
                    then:
                      - task: Then\(group)
                    else:
                      - task: Else\(group)
                  - for_each: ${inputs.items}
                    do:
                      - task: Each\(group)
                  - parallel:
                      - task: Left\(group)
                      - task: Right\(group)

                """
        }
        let flow = try loadFlow("inputs:\n  - name: flag\n    type: boolean\n  - name: items\n    type: array\n" + yaml)
        let svg = SVGDiagram.render(flow)
        let geometry = SVGGeometry(svg)
        #expect(geometry.nodes.filter { $0.stepId != nil }.count == 1_000)
        #expect(geometry.nodes.filter { $0.kind == "task" }.count == 700)
        SVGLayoutTests.expectOneNodePerStep(flow, geometry)
        SVGLayoutTests.expectNoOverlap(geometry)
        SVGLayoutTests.expectEdgesJoinTheirNodes(geometry)
        #expect(SVGDiagram.render(flow) == svg)
    }

    @Test func renderingIsDeterministic() throws {
        let yaml = try String(
            contentsOf: SVGLayoutTests.fixturesDirectory.appendingPathComponent("every_kind.yaml"), encoding: .utf8)
        let first = SVGDiagram.render(try loadFlow(yaml))
        #expect(SVGDiagram.render(try loadFlow(yaml)) == first)
        #expect(SVGDiagram.render(try loadFlow(yaml)) == first)
    }

    @Test func stepNodesCarryTheirPathAndTheStepIdOfTheirEvents() throws {
        let geometry = try Self.geometry(
            """
            flow: Ids
            steps:
              - task: Fetch
                id: fetch
              - task: Anonymous
              - subflow: child
              - if: ${fetch.ok} == true
                then:
                  - task: Use
                    id: use
            """
        )
        #expect(geometry.node("0")?.stepId == "0")
        #expect(geometry.node("0")?.step == "fetch")
        #expect(geometry.node("1")?.step == "Anonymous")
        #expect(geometry.node("2")?.step == "child")
        #expect(geometry.node("3")?.step == nil)
        #expect(geometry.node("3.then.0")?.step == "use")
        #expect(geometry.node("start")?.stepId == nil)
        #expect(geometry.node("3/end")?.stepId == nil)
        #expect(geometry.title == "Ids")
    }

    @Test func loopHeadsShowTheirVariableTheirItemsAndARunsCount() throws {
        let yaml = """
            flow: Loop
            inputs:
              - name: orders
                type: array
            steps:
              - for_each: ${inputs.orders}
                as: order
                do:
                  - task: Ship
            """
        let drawn = try Self.geometry(yaml, loopCounts: ["0": 12])
        let head = try #require(drawn.node("0"))
        #expect(head.kind == "loop")
        #expect(head.texts == ["for each order", "in inputs.orders", "×12"])
        #expect(try Self.geometry(yaml).node("0")?.texts == ["for each order", "in inputs.orders"])
        let back = try #require(drawn.edges.first { $0.style == "back" })
        #expect((back.from, back.to, back.label) == ("0[*].0", "0", "next"))
        let done = try #require(drawn.edges.first { $0.label == "done" })
        #expect((done.from, done.to) == ("0", "0/end"))
        #expect(head.box.x + head.box.width < back.points.map(\.x).max() ?? 0, "the back edge runs outside the head")
        #expect(done.points.map(\.x).min() ?? 0 < head.box.x, "the done edge runs down the other side")
    }

    @Test func branchEdgesCarryTheirLabelsAndHandlersAreDashed() throws {
        let geometry = try Self.geometry(
            """
            flow: Labels
            inputs:
              - name: kind
                type: string
            steps:
              - if: ${inputs.kind} == "a"
                then:
                  - task: A
              - switch: ${inputs.kind}
                cases:
                  - when: [b, c]
                    do:
                      - task: BC
              - task: Risky
                on_error:
                  - task: Recover
              - task: Maybe
                if: ${inputs.kind} == "m"
            """
        )
        let labels = geometry.edges.compactMap { edge in edge.label.map { "\(edge.from)→\(edge.to):\($0)" } }
        #expect(
            labels == [
                "0→0.then.0:true", "0→0/end:false", "1→1.case0.0:b, c",
                "1→1/end:default", "2→2.on_error.0:error", "3/if→3:true",
                "3/if→3/if-end:false",
            ]
        )
        #expect(geometry.edges.filter { $0.style == "dashed" }.map(\.to) == ["2.on_error.0"])
        let decision = try #require(geometry.node("3/if"))
        #expect(decision.texts == ["if inputs.kind == \"m\"?"])
        let risky = try #require(geometry.node("2"))
        let after = try #require(geometry.node("2/end"))
        #expect(
            risky.box.x + risky.box.width / 2 == after.box.x + after.box.width / 2,
            "the handled path runs straight down")
    }

    @Test func exitsEndTheirPathAndABranchBlockWhoseBranchesAllExitHasNoJoin() throws {
        let yaml = try String(
            contentsOf: SVGLayoutTests.fixturesDirectory.appendingPathComponent("exits.yaml"), encoding: .utf8)
        let geometry = SVGGeometry(SVGDiagram.render(try loadFlow(yaml)))
        #expect(geometry.node("0/end") == nil)
        #expect(geometry.edges.allSatisfy { !$0.from.hasPrefix("0.") })
        #expect(geometry.edges.allSatisfy { $0.to != "1" }, "nothing leads to the step after the switch")
        #expect(geometry.node("0.default.0")?.kind == "exit")
    }

    @Test func longLabelsAreCutAndKeepTheirFullTextInATitle() throws {
        let name = "AVeryLongTaskNameThatGoesOnAndOnWellPastTheLimit"
        let geometry = try Self.geometry("flow: Long\nsteps:\n  - task: \(name)\n  - task: Short\n")
        let long = try #require(geometry.node("0"))
        #expect(long.texts == [String(name.prefix(31)) + "…"])
        #expect(long.title == name)
        #expect(geometry.node("1")?.title == nil)
    }

    @Test func flowTextIsEscapedAndTheImageStaysWellFormed() throws {
        let svg = SVGDiagram.render(
            try loadFlow(
                """
                flow: "<script>alert('x')</script> & co"
                steps:
                  - task: "Say \\"hi\\" <b>&amp;</b>\\u0001"
                  - exit: "</text><script>alert(1)</script>"
                """
            )
        )
        let geometry = SVGGeometry(svg)
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("<b>"))
        #expect(geometry.title == "<script>alert('x')</script> & co")
        #expect(geometry.node("0")?.texts == ["Say \"hi\" <b>&amp;</b>\u{FFFD}"])
        #expect(geometry.node("1")?.title == "exit: </text><script>alert(1)</script>")
    }

    @Test func theImageHasLightAndDarkThemesAndLoadsNothing() throws {
        let svg = SVGDiagram.render(try loadFlow("flow: X\nsteps:\n  - task: A\n"))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flowlang-diagram\""))
        #expect(svg.contains("@media (prefers-color-scheme: dark)"))
        #expect(svg.ranges(of: "http").count == 1, "only the SVG namespace")
        #expect(!svg.contains("href"))
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("@import"))
        #expect(svg.firstRange(of: /\son[a-z]+=/) == nil, "no event handler attributes")
    }

    @Test func onCancelStepsStandInTheirOwnColumnAtTheRight() throws {
        let geometry = try Self.geometry(
            """
            flow: Cancel
            steps:
              - task: Work
            on_cancel:
              - task: Undo
            """
        )
        let work = try #require(geometry.node("0"))
        let undo = try #require(geometry.node("on_cancel.0"))
        #expect(undo.box.x > work.box.x + work.box.width)
        #expect(geometry.node("on_cancel")?.kind == "cancel")
        #expect(geometry.edges.map { "\($0.from)→\($0.to)" }.contains("on_cancel→on_cancel.0"))
    }
}
