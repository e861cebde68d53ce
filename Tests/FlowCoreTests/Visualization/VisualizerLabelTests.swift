import FlowCore
import Testing

/// Decision wording (the original's question formatting, spec §8) and label escaping.
@Suite("Mermaid labels")
struct VisualizerLabelTests {
    /// The decision line of a flow whose only step is `if: <condition>` with one task in `then`.
    static func decision(_ condition: String) throws -> String {
        let lines = try Diagram.lines(
            """
            flow: Q
            inputs:
              - name: ok
                type: boolean
              - name: n
                type: integer
              - name: customer_category
                type: string
            steps:
              - if: \(condition)
                then:
                  - task: T
            """
        )
        return lines[2]
    }

    /// S60 and spec §8 condition formatting.
    @Test(arguments: [
        ("${inputs.ok} == true", "inputs.ok?"),
        ("${inputs.ok} == True", "inputs.ok?"),
        ("${inputs.ok} == false", "not inputs.ok?"),
        ("${inputs.ok} != true", "not inputs.ok?"),
        ("${inputs.ok} != false", "inputs.ok?"),
        ("${inputs.n} > 3", "inputs.n &gt; 3?"),
        ("${inputs.ok}", "inputs.ok?"),
        ("true", "true?"),
        ("${inputs.customer_category} == 'premium_gold_member'", "inputs.customer_category == 'premium_...?"),
        ("${inputs.customer_category} == 'abcdefghij'", "inputs.customer_category == 'abcdefghij'?"),
    ])
    func conditionsArePhrasedAsQuestions(condition: String, question: String) throws {
        #expect(try Self.decision(condition) == "    node2{{\"If: \(question)\"}}")
    }

    @Test(arguments: [("any", 3), ("all", 2), ("none", 1)])
    func quantifiedConditionsShowTheirCount(quantifier: String, count: Int) throws {
        let conditions = (0..<count).map { "\n        - ${inputs.n} > \($0)" }.joined()
        #expect(
            try Self.decision("\n      \(quantifier):\(conditions)")
                == "    node2{{\"If: \(quantifier) of \(count) met?\"}}")
    }

    @Test func quotesAndAngleBracketsInLabelsAreEscaped() throws {
        let lines = try Diagram.lines(
            """
            flow: Quoting
            inputs:
              - name: text
                type: string
            steps:
              - task: 'Say "hi" <script>alert(1)</script>'
              - if: ${inputs.text} == "a<b>"
                then:
                  - task: "Fix ] and } | too"
              - switch: ${inputs.text}
                cases:
                  - when: 'say "x" <now>'
                    do:
                      - exit: "line1\\nline2 </end>"
            """
        )
        #expect(lines.contains(#"    node2["Say &quot;hi&quot; &lt;script&gt;alert(1)&lt;/script&gt;"]"#))
        #expect(lines.contains(#"    node3{{"If: inputs.text == &quot;a&lt;b&gt;&quot;?"}}"#))
        #expect(lines.contains(#"    node4["Fix ] and } | too"]"#))
        #expect(lines.contains(#"    node6 -->|"say &quot;x&quot; &lt;now&gt;"| node7"#))
        #expect(lines.contains(#"    node7(["Exit: line1<br/>line2 &lt;/end&gt;"])"#))
        #expect(!lines.joined().contains("<script>"))
    }

    @Test func inputAndOutputNamesAreEscapedButTheRendererLineBreaksStay() throws {
        let lines = try Diagram.lines(
            """
            flow: Names
            inputs:
              - name: a
            steps:
              - task: T
                id: t
            outputs:
              - name: '"quoted"'
                value: ${t.x}
              - name: b
                value: 1
            """
        )
        #expect(lines.contains(#"    node1[/"Inputs:<br/>a"/]"#))
        #expect(lines.contains(#"    node3[/"Outputs:<br/>&quot;quoted&quot;<br/>b"/]"#))
    }
}
