import FlowCore
import Testing

/// Spec §8 and §12.13: the original's layout (numbering, shapes, fences, parallel, loops, if/else), which the
/// Swift visualizer keeps, with true/false labels that stay right under nesting.
@Suite("Mermaid layout")
struct VisualizerLayoutTests {
    /// S59.
    @Test func singleTaskFlowWithoutInputsOrOutputsRendersExactly() throws {
        let diagram = try Diagram.mermaid(
            """
            flow: X
            steps:
              - task: A
            """
        )
        #expect(
            diagram == """
                ```mermaid
                flowchart TD
                    node0(("Start"))
                    node1["A"]
                    node2(("End"))
                    node0 --> node1
                    node1 --> node2
                ```
                """
        )
    }

    /// The recorded `GET /flows/HelloWorld/visualize` diagram, byte for byte.
    @Test func helloWorldReproducesTheRecordedDiagram() throws {
        let diagram = try Diagram.mermaid(
            """
            flow: HelloWorld
            description: Greets a user after validating the name
            inputs:
              - name: user_name
                type: string
                required: true
            steps:
              - task: ValidateUser
                id: validate
                inputs:
                  name: ${inputs.user_name}
              - if: ${validate.is_valid} == true
                then:
                  - task: GenerateGreeting
                    id: greeting
                    inputs:
                      name: ${inputs.user_name}
                else:
                  - task: GenerateErrorMessage
                    id: greeting
                    inputs:
                      reason: ${validate.reason}
            outputs:
              - name: message
                value: ${greeting.message}
              - name: timestamp
                value: ${greeting.timestamp}
            """
        )
        let recorded =
            "```mermaid\nflowchart TD\n    node0((\"Start\"))\n    node1[/\"Inputs:<br/>user_name\"/]\n"
            + "    node2[\"ValidateUser\"]\n    node3{{\"If: validate.is_valid?\"}}\n    node4[\"GenerateGreeting\"]\n"
            + "    node5[\"GenerateErrorMessage\"]\n    node6{{\"End If\"}}\n"
            + "    node7[/\"Outputs:<br/>message<br/>timestamp\"/]\n    node8((\"End\"))\n    node0 --> node1\n"
            + "    node1 --> node2\n    node2 --> node3\n    node3 -->|\"true\"| node4\n    node3 -->|\"false\"| node5\n"
            + "    node4 --> node6\n    node5 --> node6\n    node6 --> node7\n    node7 --> node8\n```"
        #expect(diagram == recorded)
    }

    /// S60: the verified example of spec §8 (parallel, loop, if/else), in full.
    @Test func parallelLoopAndIfElseUseForkJoinLoopAndDecisionHexagons() throws {
        let lines = try Diagram.lines(
            """
            flow: S60
            inputs:
              - name: xs
                type: array
            steps:
              - parallel:
                  - task: P1
                    id: a
                  - task: P2
              - for_each: ${inputs.xs}
                as: it
                do:
                  - task: L1
                  - task: L2
              - if: ${a.ok} == true
                then:
                  - task: T1
                  - task: T2
                else:
                  - task: E1
            """
        )
        #expect(
            lines == [
                #"    node0(("Start"))"#,
                #"    node1[/"Inputs:<br/>xs"/]"#,
                #"    node2{{"Fork: Run in Parallel"}}"#,
                #"    node3["P1"]"#,
                #"    node4["P2"]"#,
                #"    node5{{"Join: Wait for All"}}"#,
                #"    node6{{"Loop: for each it"}}"#,
                #"    node7["L1"]"#,
                #"    node8["L2"]"#,
                #"    node9{{"End Loop"}}"#,
                #"    node10{{"If: a.ok?"}}"#,
                #"    node11["T1"]"#,
                #"    node12["T2"]"#,
                #"    node13["E1"]"#,
                #"    node14{{"End If"}}"#,
                #"    node15(("End"))"#,
                "    node0 --> node1",
                "    node1 --> node2",
                "    node2 --> node3",
                "    node2 --> node4",
                "    node3 --> node5",
                "    node4 --> node5",
                "    node5 --> node6",
                "    node6 --> node7",
                "    node7 --> node8",
                #"    node8 -->|"next"| node6"#,
                #"    node6 -->|"done"| node9"#,
                "    node9 --> node10",
                #"    node10 -->|"true"| node11"#,
                "    node11 --> node12",
                #"    node10 -->|"false"| node13"#,
                "    node12 --> node14",
                "    node13 --> node14",
                "    node14 --> node15",
            ]
        )
    }

    /// The original labelled the wrong edges here (spec §8, "known labelling bug").
    @Test func nestedIfInsideThenKeepsTrueAndFalseOnTheRightEdges() throws {
        let lines = try Diagram.lines(
            """
            flow: Nested
            inputs:
              - name: a
                type: boolean
              - name: b
                type: boolean
            steps:
              - if: ${inputs.a} == true
                then:
                  - if: ${inputs.b} == false
                    then:
                      - task: Inner
                  - task: AfterInner
                else:
                  - task: OuterElse
            """
        )
        #expect(
            lines == [
                #"    node0(("Start"))"#,
                #"    node1[/"Inputs:<br/>a<br/>b"/]"#,
                #"    node2{{"If: inputs.a?"}}"#,
                #"    node3{{"If: not inputs.b?"}}"#,
                #"    node4["Inner"]"#,
                #"    node5{{"End If"}}"#,
                #"    node6["AfterInner"]"#,
                #"    node7["OuterElse"]"#,
                #"    node8{{"End If"}}"#,
                #"    node9(("End"))"#,
                "    node0 --> node1",
                "    node1 --> node2",
                #"    node2 -->|"true"| node3"#,
                #"    node3 -->|"true"| node4"#,
                "    node4 --> node5",
                #"    node3 -->|"false"| node5"#,
                "    node5 --> node6",
                #"    node2 -->|"false"| node7"#,
                "    node6 --> node8",
                "    node7 --> node8",
                "    node8 --> node9",
            ]
        )
    }

    @Test func nestedIfInsideElseAndLoopKeepsItsLabels() throws {
        let lines = try Diagram.lines(
            """
            flow: Deep
            inputs:
              - name: xs
                type: array
              - name: a
                type: boolean
            steps:
              - if: ${inputs.a} == true
                then: []
                else:
                  - for_each: ${inputs.xs}
                    do:
                      - if: ${inputs.a} != true
                        then:
                          - task: Inside
            """
        )
        #expect(lines.contains(#"    node2 -->|"false"| node3"#))
        #expect(lines.contains(#"    node4 -->|"true"| node5"#))
        #expect(lines.contains(#"    node4 -->|"false"| node6"#))
        #expect(lines.contains(#"    node6 -->|"next"| node3"#))
        #expect(lines.contains(#"    node3 -->|"done"| node7"#))
        // An empty `then` goes straight to End If, still labelled "true".
        #expect(lines.contains(#"    node2 -->|"true"| node8"#))
        #expect(lines.contains(#"    node3{{"Loop: for each item"}}"#))
        #expect(lines.contains(#"    node4{{"If: not inputs.a?"}}"#))
    }

    @Test func ifWithoutElseLinksTheDecisionToEndIfWithFalse() throws {
        let lines = try Diagram.lines(
            """
            flow: NoElse
            inputs:
              - name: ok
                type: boolean
            steps:
              - if: ${inputs.ok}
                then:
                  - task: T
            outputs:
              - name: done
                value: true
            """
        )
        #expect(
            lines == [
                #"    node0(("Start"))"#,
                #"    node1[/"Inputs:<br/>ok"/]"#,
                #"    node2{{"If: inputs.ok?"}}"#,
                #"    node3["T"]"#,
                #"    node4{{"End If"}}"#,
                #"    node5[/"Outputs:<br/>done"/]"#,
                #"    node6(("End"))"#,
                "    node0 --> node1",
                "    node1 --> node2",
                #"    node2 -->|"true"| node3"#,
                "    node3 --> node4",
                #"    node2 -->|"false"| node4"#,
                "    node4 --> node5",
                "    node5 --> node6",
            ]
        )
    }
}
