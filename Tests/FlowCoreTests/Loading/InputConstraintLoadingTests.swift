import FlowCore
import Testing

/// Invalid `enum`, `minimum`, `maximum` and `pattern` declarations are load errors at the offending value.
struct InputConstraintLoadingTests {
    @Test func enumValueOfTheWrongTypeIsAnErrorAtThatValue() {
        let errors = expectLoadErrors(
            """
            flow: F
            inputs:
              - name: n
                type: integer
                enum: [1, 1️⃣two, 3]
            steps: []
            """,
            ["1️⃣": #"an 'enum' value of input 'n' must be an integer, got string "two""#]
        )
        #expect(!errors.isEmpty, "the flow is refused at load")
    }

    @Test(arguments: ["[]", "gold", "{a: 1}"])
    func enumMustBeANonEmptyList(_ value: String) {
        let errors = expectLoadErrors(
            MarkedYAML("flow: F\ninputs:\n  - name: t\n    enum: 1️⃣\(value)\nsteps: []\n"),
            ["1️⃣": "'enum' of input 't' must be a non-empty list of values"]
        )
        #expect(!errors.isEmpty, "the flow is refused at load")
    }

    @Test func minimumAboveMaximumIsAnErrorAtTheMaximum() {
        let errors = expectLoadErrors(
            """
            flow: F
            inputs:
              - name: n
                type: number
                minimum: 10
                maximum: 1️⃣5
            steps: []
            """,
            ["1️⃣": "input 'n' has minimum 10 above its maximum 5; no value could pass"]
        )
        #expect(!errors.isEmpty, "the flow is refused at load")
    }

    @Test func limitsMustBeNumbersOnNumericInputs() {
        let errors = expectLoadErrors(
            """
            flow: F
            inputs:
              - name: s
                type: string
                minimum: 1️⃣1
              - name: n
                type: integer
                maximum: 2️⃣lots
              - name: untyped
                maximum: 3️⃣3
            steps: []
            """,
            [
                "1️⃣":
                    "'minimum' applies only to integer and number inputs; give input 's' 'type: number' or 'type: integer' (it has type string)",
                "2️⃣": "'maximum' of input 'n' must be a number, found the string 'lots'",
                "3️⃣": "(it has type any)",
            ]
        )
        #expect(!errors.isEmpty, "the flow is refused at load")
    }

    @Test func patternThatDoesNotCompileIsAnError() {
        let errors = expectLoadErrors(
            """
            flow: F
            inputs:
              - name: code
                type: string
                pattern: 1️⃣"[A-Z"
            steps: []
            """,
            ["1️⃣": "'pattern' of input 'code' is not a valid regular expression"]
        )
        #expect(!errors.isEmpty, "the flow is refused at load")
    }

    @Test func patternOnlyAppliesToStrings() {
        let errors = expectLoadErrors(
            """
            flow: F
            inputs:
              - name: n
                type: integer
                pattern: 1️⃣"^[0-9]+$"
            steps: []
            """,
            ["1️⃣": "'pattern' applies only to string inputs; give input 'n' 'type: string' (it has type integer)"]
        )
        #expect(!errors.isEmpty, "the flow is refused at load")
    }

    @Test func defaultMustKeepTheRules() {
        let errors = expectLoadErrors(
            """
            flow: F
            inputs:
              - name: tier
                type: string
                enum: [gold, silver]
                default: 1️⃣bronze
              - name: n
                type: integer
                minimum: 1
                default: 2️⃣0
            steps: []
            """,
            [
                "1️⃣": #"the default of input 'tier' must be one of "gold", "silver", got string "bronze""#,
                "2️⃣": "the default of input 'n' must be at least 1, got 0",
            ]
        )
        #expect(!errors.isEmpty, "the flow is refused at load")
    }
}
