import FlowCore
import OrderedCollections
import Testing

/// Spec §12.1, scenarios S1–S3: typed pass-through, interpolation, bare-name outputs and resolution errors.
@Suite("Scenarios S1–S3: references and interpolation")
struct ReferenceScenarioTests {
    // MARK: S1 typed pass-through and interpolation

    static let s1 = """
        flow: S1
        steps:
          - task: Echo
            id: e
            inputs: {a: 1, l: [1, 2], m: {k: v}, t: true}
        outputs:
          - name: whole
            value: ${e}
          - name: list
            value: ${e.l}
          - name: text
            value: "a=${e.a} t=${e.t} m=${e.m}"
          - name: spaced
            value: " ${e.a}"
        """

    @Test func s1WholeReferencesKeepTheirTypeAndInterpolationRendersJSON() async throws {
        let result = try await ScenarioHarness().run(Self.s1)
        #expect(result.status == .completed)
        #expect(
            result.outputs == [
                "whole": ["a": 1, "l": [1, 2], "m": ["k": "v"], "t": true],
                "list": [1, 2],
                "text": #"a=1 t=true m={"k":"v"}"#,
                "spaced": " 1",
            ]
        )
    }

    @Test func s1ResultJSONReportsSuccessWithTheOutputs() async throws {
        let result = try await ScenarioHarness().run(Self.s1)
        #expect(result.json["success"] == true)
        #expect(result.json["outputs"]?["list"] == [1, 2])
        #expect(result.json["outputs"]?["text"] == #"a=1 t=true m={"k":"v"}"#)
    }

    // MARK: S2 bare-name outputs and literals

    @Test func s2BareNameOutputsLiteralsAndNestedTemplatesResolve() async throws {
        let yaml = """
            flow: S2
            steps:
              - task: Echo
                id: result
                inputs: {a: 1}
            outputs:
              - result
              - name: lit
                value: 5
              - name: nested
                value: {x: "${result.a}", y: ["${inputs.t}", 2]}
            """
        let result = try await ScenarioHarness().run(yaml, inputs: ["t": true])
        #expect(result.status == .completed)
        #expect(result.outputs == ["result": ["a": 1], "lit": 5, "nested": ["x": 1, "y": [true, 2]]])
    }

    // MARK: S3 resolution: indexing (REC)

    static func indexing(_ reference: String) -> String {
        """
        flow: S3
        steps:
          - task: Echo
            id: e
            inputs: {a: [10, 20, 30]}
        outputs:
          - name: first
            value: \(reference)
        """
    }

    @Test(arguments: ["${e.a.0}", "${e.a[0]}"])
    func s3ArrayIndexingResolvesToTheElement(reference: String) async throws {
        let result = try await ScenarioHarness().run(Self.indexing(reference))
        #expect(result.status == .completed)
        #expect(result.outputs["first"] == 10)
    }

    @Test func s3IndexingWorksInsideInterpolationAndTaskInputs() async throws {
        let yaml = """
            flow: S3
            steps:
              - task: Echo
                id: e
                inputs: {a: [10, 20, 30]}
              - task: Echo
                id: f
                inputs: {second: "${e.a[1]}", text: "last=${e.a.2}"}
            outputs:
              - f
            """
        let result = try await ScenarioHarness().run(yaml)
        #expect(result.status == .completed)
        #expect(result.outputs["f"] == ["second": 20, "text": "last=30"])
    }

    // MARK: S3 unknown roots are load errors

    @Test func s3UnknownRootIsALoadErrorNamingTheReferenceAndItsPosition() throws {
        let yaml = """
            flow: S3
            steps:
              - task: Echo
                id: e
                inputs: {a: 1}
            outputs:
              - name: bad
                value: ${nope.x}
            """
        let error = #expect(throws: FlowLoadError.self) { try loadFlow(yaml) }
        let diagnostic = try #require(error?.errors.first { $0.message.contains("${nope.x}") })
        // `value: ${nope.x}` is on line 8; the reference starts in column 12.
        #expect(diagnostic.location.line == 8)
        #expect(diagnostic.location.column == 12)
        #expect(diagnostic.description.contains("8:12"))
    }

    @Test func s3TaskWithoutIdCannotBeReferencedByItsTaskName() throws {
        let yaml = """
            flow: S3
            steps:
              - task: Echo
                inputs: {a: 1}
              - task: Echo
                id: after
                inputs: {v: "${Echo.a}"}
            """
        let error = #expect(throws: FlowLoadError.self) { try loadFlow(yaml) }
        #expect(error?.errors.contains { $0.message.contains("${Echo.a}") } == true)
    }

    // MARK: S3 run-time reference errors

    @Test func s3MissingKeyInTaskInputsFailsWithAReferenceErrorNamingReferenceAndStep() async throws {
        let yaml = """
            flow: S3
            steps:
              - task: Echo
                id: e
                inputs: {a: 1}
              - task: Ret
                id: consumer
                inputs: {value: "${e.missing}"}
            """
        let harness = ScenarioHarness()
        let result = try await harness.run(yaml)
        #expect(result.status == .failed)
        let failure = try #require(result.failure)
        #expect(failure.type == "ReferenceError")
        #expect(failure.message.contains("${e.missing}"))
        #expect(failure.message.contains("consumer"))
        #expect(failure.failedStep == "consumer")
        #expect(harness.fixtures.callOrder.isEmpty)
        #expect(result.json["error_type"] == "ReferenceError")
    }

    @Test func s3MissingKeyInAnOutputFailsWithAReferenceError() async throws {
        let yaml = """
            flow: S3
            steps:
              - task: Echo
                id: e
                inputs: {a: 1}
            outputs:
              - name: x
                value: ${e.missing}
            """
        let result = try await ScenarioHarness().run(yaml)
        #expect(result.status == .failed)
        #expect(result.failure?.type == "ReferenceError")
        #expect(result.failure?.message.contains("${e.missing}") == true)
        #expect(result.outputs.isEmpty)
    }

    @Test func s3ReferenceToAStepThatDidNotRunFailsATaskWithAReferenceError() async throws {
        let yaml = """
            flow: S3
            steps:
              - if: ${inputs.go} == true
                then:
                  - task: Echo
                    id: skipped
                    inputs: {a: 1}
              - task: Ret
                id: reader
                inputs: {value: "${skipped.a}"}
            """
        let result = try await ScenarioHarness().run(yaml, inputs: ["go": false])
        #expect(result.status == .failed)
        #expect(result.failure?.type == "ReferenceError")
        #expect(result.failure?.message.contains("${skipped.a}") == true)
        #expect(result.failure?.message.contains("reader") == true)
        #expect(result.failure?.failedStep == "reader")
    }

    // MARK: S3 spaces and literal look-alikes (REC)

    @Test func s3SpacesInsideTheBracesAreIgnored() async throws {
        let yaml = """
            flow: S3
            steps:
              - task: Echo
                id: e
                inputs: {v: "${ inputs.a }", s: "a=${ inputs.a }"}
            outputs:
              - e
            """
        let result = try await ScenarioHarness().run(yaml, inputs: ["a": 7])
        #expect(result.status == .completed)
        #expect(result.outputs["e"] == ["v": 7, "s": "a=7"])
    }

    @Test(arguments: ["${}", "$5 and ${x", "cost: $5", "${} and more"])
    func s3TextThatIsNotAReferenceStaysLiteral(text: String) async throws {
        let yaml = """
            flow: S3
            steps:
              - task: Ret
                id: r
                inputs: {value: '\(text)'}
            outputs:
              - name: v
                value: '\(text)'
              - name: through_task
                value: ${r}
            """
        let result = try await ScenarioHarness().run(yaml)
        #expect(result.status == .completed)
        #expect(result.outputs["v"] == .string(text))
        #expect(result.outputs["through_task"] == .string(text))
    }
}
