import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// Input `enum`, `minimum`, `maximum` and `pattern` are enforced before anything runs, with an error naming the
/// input; values are checked after type coercion.
struct InputConstraintTests {
    static let flow = """
        flow: Order
        inputs:
          - name: tier
            type: string
            enum: [gold, silver]
          - name: quantity
            type: integer
            minimum: 1
            maximum: 10
          - name: ratio
            type: number
            minimum: 0.5
          - name: sku
            type: string
            pattern: "^[A-Z]{3}-[0-9]+$"
          - name: note
            type: string
            pattern: urgent
        steps:
          - task: Ret
            id: r
            inputs: {value: 1}
        """

    static func problems(_ inputs: OrderedDictionary<String, FlowValue>) async throws -> [InputValidationError.Problem]
    {
        let harness = ScenarioHarness()
        let flow = try loadFlow(Self.flow)
        do {
            _ = try await harness.execute(flow, inputs: inputs)
            return []
        } catch let error as InputValidationError {
            #expect(harness.log.eventNamesWithSteps.isEmpty, "nothing runs when inputs are refused")
            return error.problems
        }
    }

    @Test func valuesThatKeepTheRulesRun() async throws {
        let harness = ScenarioHarness()
        let flow = try loadFlow(Self.flow)
        let result = try await harness.execute(
            flow,
            inputs: ["tier": "gold", "quantity": "10", "ratio": 0.5, "sku": "ABC-42", "note": "not urgent at all"]
        )
        #expect(result.status == .completed)
    }

    @Test func absentOptionalInputsBreakNoRule() async throws {
        #expect(try await Self.problems([:]).isEmpty)
    }

    @Test func valueOutsideTheEnumNamesTheInputAndTheAllowedValues() async throws {
        let problems = try await Self.problems(["tier": "bronze"])
        #expect(
            problems == [
                .init(
                    input: "tier", kind: .notInEnum,
                    message: #"Input 'tier' must be one of "gold", "silver", got string "bronze""#)
            ]
        )
    }

    @Test(arguments: [
        (
            "quantity", FlowValue.int(0), InputValidationError.Problem.Kind.belowMinimum,
            "Input 'quantity' must be at least 1, got 0"
        ),
        ("quantity", "11", .aboveMaximum, "Input 'quantity' must be at most 10, got 11"),
        ("ratio", 0.25, .belowMinimum, "Input 'ratio' must be at least 0.5, got 0.25"),
        (
            "sku", "abc-42", .patternMismatch,
            #"Input 'sku' must match the pattern '^[A-Z]{3}-[0-9]+$', got string "abc-42""#
        ),
        ("note", "later", .patternMismatch, #"Input 'note' must match the pattern 'urgent', got string "later""#),
    ])
    func valueBreakingARuleIsRefusedWithTheInputNamed(
        _ input: String,
        _ value: FlowValue,
        _ kind: InputValidationError.Problem.Kind,
        _ message: String
    ) async throws {
        let problems = try await Self.problems([input: value])
        #expect(problems == [.init(input: input, kind: kind, message: message)])
    }

    @Test func everyBrokenRuleIsReportedAtOnceAfterTypeProblems() async throws {
        let problems = try await Self.problems(["tier": "iron", "quantity": "many", "ratio": 0, "sku": "x"])
        #expect(problems.map(\.input) == ["tier", "quantity", "ratio", "sku"])
        #expect(problems.map(\.kind) == [.notInEnum, .invalidType, .belowMinimum, .patternMismatch])
    }

    @Test func enumComparesNumbersByValueButKeepsBooleansApart() async throws {
        let flow = try loadFlow(
            """
            flow: E
            inputs:
              - {name: level, type: number, enum: [1, 2.5]}
              - {name: anything, enum: [1, "one"]}
            steps: []
            """
        )
        let harness = ScenarioHarness()
        #expect(try await harness.execute(flow, inputs: ["level": 1.0, "anything": "one"]).status == .completed)
        let error = await #expect(throws: InputValidationError.self) {
            try await harness.execute(flow, inputs: ["anything": true])
        }
        #expect(error?.problems.map(\.kind) == [.notInEnum])
        #expect(error?.problems.first?.message == #"Input 'anything' must be one of 1, "one", got boolean true"#)
    }

    @Test func constraintsAreKeptOnTheDefinition() throws {
        let inputs = try loadFlow(Self.flow).inputs
        #expect(inputs[0].allowedValues == ["gold", "silver"])
        #expect(inputs[1].minimum == 1)
        #expect(inputs[1].maximum == 10)
        #expect(inputs[2].minimum == 0.5)
        #expect(inputs[3].pattern == "^[A-Z]{3}-[0-9]+$")
    }
}
