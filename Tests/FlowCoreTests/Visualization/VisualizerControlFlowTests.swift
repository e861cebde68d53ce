import FlowCore
import Testing

/// The recommended shapes the original drew as "Unknown: …": switch, subflow, exit, task-level `if` and
/// `on_error` handlers (spec §8 "Recommended", §11 item 49).
@Suite("Mermaid control flow")
struct VisualizerControlFlowTests {
    @Test func switchHasOneLabelledEdgePerCaseAndADefaultEdgeJoiningAtEndSwitch() throws {
        let lines = try Diagram.lines(
            """
            flow: Shipping
            inputs:
              - name: kind
                type: string
            steps:
              - switch: ${inputs.kind}
                cases:
                  - when: express
                    do:
                      - task: Express
                  - when: [bulk, wholesale]
                    do:
                      - task: Bulk
                  - when: 42
                    do:
                      - task: Answer
                  - default:
                      - task: Standard
              - task: Ship
            """
        )
        #expect(
            lines == [
                #"    node0(("Start"))"#,
                #"    node1[/"Inputs:<br/>kind"/]"#,
                #"    node2{{"Switch: inputs.kind"}}"#,
                #"    node3["Express"]"#,
                #"    node4["Bulk"]"#,
                #"    node5["Answer"]"#,
                #"    node6["Standard"]"#,
                #"    node7{{"End Switch"}}"#,
                #"    node8["Ship"]"#,
                #"    node9(("End"))"#,
                "    node0 --> node1",
                "    node1 --> node2",
                #"    node2 -->|"express"| node3"#,
                #"    node2 -->|"bulk, wholesale"| node4"#,
                #"    node2 -->|"42"| node5"#,
                #"    node2 -->|"default"| node6"#,
                "    node3 --> node7",
                "    node4 --> node7",
                "    node5 --> node7",
                "    node6 --> node7",
                "    node7 --> node8",
                "    node8 --> node9",
            ]
        )
    }

    @Test func switchWithoutDefaultLinksTheDefaultEdgeToEndSwitchAndShowsReferencesAsWritten() throws {
        let lines = try Diagram.lines(
            """
            flow: Match
            inputs:
              - name: kind
                type: string
              - name: preferred
                type: string
            steps:
              - switch: ${inputs.kind}
                cases:
                  - when: ${inputs.preferred}
                    do:
                      - task: Preferred
                  - when: [a, "${inputs.preferred}-x"]
                    do: []
            """
        )
        #expect(lines.contains(#"    node3["Preferred"]"#))
        #expect(lines.contains(#"    node4{{"End Switch"}}"#))
        #expect(lines.contains(#"    node2 -->|"${inputs.preferred}"| node3"#))
        #expect(lines.contains("    node3 --> node4"))
        #expect(lines.contains(#"    node2 -->|"a, ${inputs.preferred}-x"| node4"#))
        #expect(lines.contains(#"    node2 -->|"default"| node4"#))
        #expect(lines.contains("    node4 --> node5"))
    }

    @Test func subflowIsDrawnAsASubroutine() throws {
        let lines = try Diagram.lines(
            """
            flow: Parent
            steps:
              - subflow: validate_user
                id: validation
              - task: Next
            """
        )
        #expect(
            lines == [
                #"    node0(("Start"))"#,
                #"    node1[["Subflow: validate_user"]]"#,
                #"    node2["Next"]"#,
                #"    node3(("End"))"#,
                "    node0 --> node1",
                "    node1 --> node2",
                "    node2 --> node3",
            ]
        )
    }

    @Test func exitIsAStadiumWithNoEdgeToTheFollowingStep() throws {
        let lines = try Diagram.lines(
            """
            flow: Early
            steps:
              - task: Check
              - exit:
                  reason: Nothing to do
              - task: Never
            """
        )
        #expect(
            lines == [
                #"    node0(("Start"))"#,
                #"    node1["Check"]"#,
                #"    node2(["Exit: Nothing to do"])"#,
                #"    node3["Never"]"#,
                #"    node4(("End"))"#,
                "    node0 --> node1",
                "    node1 --> node2",
                "    node3 --> node4",
            ]
        )
        #expect(!lines.contains { $0.hasPrefix("    node2 ") })
    }

    @Test func exitInsideThenEndsThatBranchSoOnlyFalseReachesEndIf() throws {
        let lines = try Diagram.lines(
            """
            flow: Guard
            inputs:
              - name: items
                type: array
            steps:
              - if: length(${inputs.items}) == 0
                then:
                  - exit
              - task: Work
            """
        )
        #expect(
            lines == [
                #"    node0(("Start"))"#,
                #"    node1[/"Inputs:<br/>items"/]"#,
                #"    node2{{"If: length(inputs.items) == 0?"}}"#,
                #"    node3(["Exit"])"#,
                #"    node4{{"End If"}}"#,
                #"    node5["Work"]"#,
                #"    node6(("End"))"#,
                "    node0 --> node1",
                "    node1 --> node2",
                #"    node2 -->|"true"| node3"#,
                #"    node2 -->|"false"| node4"#,
                "    node4 --> node5",
                "    node5 --> node6",
            ]
        )
    }

    @Test func taskLevelIfIsADecisionWhoseFalseEdgeBypassesTheTask() throws {
        let lines = try Diagram.lines(
            """
            flow: Optional
            inputs:
              - name: notify
                type: boolean
            steps:
              - task: Prepare
              - task: Notify
                if: ${inputs.notify} == true
              - task: Finish
            """
        )
        #expect(
            lines == [
                #"    node0(("Start"))"#,
                #"    node1[/"Inputs:<br/>notify"/]"#,
                #"    node2["Prepare"]"#,
                #"    node3{{"If: inputs.notify?"}}"#,
                #"    node4["Notify"]"#,
                #"    node5["Finish"]"#,
                #"    node6(("End"))"#,
                "    node0 --> node1",
                "    node1 --> node2",
                "    node2 --> node3",
                #"    node3 -->|"true"| node4"#,
                "    node4 --> node5",
                #"    node3 -->|"false"| node5"#,
                "    node5 --> node6",
            ]
        )
    }

    @Test func onErrorHandlerHangsOffADashedErrorEdgeAndRejoinsAfterTheTask() throws {
        let lines = try Diagram.lines(
            """
            flow: Guarded
            steps:
              - task: Charge
                on_error:
                  - task: LogFailure
                  - task: Refund
              - task: Done
            """
        )
        #expect(
            lines == [
                #"    node0(("Start"))"#,
                #"    node1["Charge"]"#,
                #"    node2["LogFailure"]"#,
                #"    node3["Refund"]"#,
                #"    node4["Done"]"#,
                #"    node5(("End"))"#,
                "    node0 --> node1",
                #"    node1 -.->|"error"| node2"#,
                "    node2 --> node3",
                "    node1 --> node4",
                "    node3 --> node4",
                "    node4 --> node5",
            ]
        )
    }

    @Test func subflowOnErrorHandlerIsDrawnLikeATaskHandler() throws {
        let lines = try Diagram.lines(
            """
            flow: Parent
            steps:
              - subflow: child
                on_error:
                  steps:
                    - task: Recover
            """
        )
        #expect(lines.contains(#"    node1[["Subflow: child"]]"#))
        #expect(lines.contains(#"    node1 -.->|"error"| node2"#))
        #expect(lines.contains("    node1 --> node3"))
        #expect(lines.contains("    node2 --> node3"))
    }
}
