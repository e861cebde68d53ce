import FlowCore
import Testing

@testable import FlowScaffold

/// Typed `Input` and `Output` fields, mock results and sample inputs inferred from the YAML.
@Suite struct ScaffoldInferenceTests {
    static let typed = """
        flow: Typed
        inputs:
          - name: name
            type: string
            required: true
          - name: count
            type: integer
            default: 1
          - name: ratio
            type: number
          - name: tags
            type: array
            required: true
          - name: settings
            type: object
            required: true
        steps:
          - task: Work
            id: first
            inputs:
              label: hello
              size: 3
              weight: 2.5
              enabled: true
              nothing: null
              words: [a, b]
              numbers: [1, 2.5]
              mixed: [1, a]
              nested: {a: 1}
              name: ${inputs.name}
              count: ${inputs.count}
              ratio: ${inputs.ratio}
              tags: ${inputs.tags}
              settings: ${inputs.settings}
              deep: ${inputs.settings.mode}
              greeting: "Hi ${inputs.name}"
              list: ["${inputs.name}"]
              class: x
              order-id: o-1
          - task: Work
            id: second
            inputs:
              label: bye
              size: 4.5
              weight: 1
              enabled: no-longer-bool
        """

    func field(_ key: String, of task: String = "Work") throws -> DiscoveredTask.Field {
        let work = try ScaffoldFixtures.task(task, in: try ScaffoldFixtures.plan(Self.typed))
        return try #require(work.inputs.first { $0.key == key })
    }

    @Test func literalValuesGiveTheirSwiftTypes() throws {
        #expect(try field("label").declaredType == "String")
        #expect(try field("words").declaredType == "[String]?")
        #expect(try field("nested").declaredType == "FlowValue?")
        #expect(try field("mixed").declaredType == "[FlowValue]?")
        #expect(try field("numbers").declaredType == "[Double]?")
    }

    @Test func keysNotPassedByEveryStepAreOptional() throws {
        #expect(try field("label").isOptional == false)
        #expect(try field("name").isOptional == true)
        #expect(try field("size").isOptional == false)
    }

    @Test func typesDifferingBetweenStepsWidenOrBecomeFlowValue() throws {
        #expect(try field("size").type == .double)
        #expect(try field("weight").type == .double)
        #expect(try field("enabled").type == .flowValue)
    }

    @Test func nullLiteralsAreOptionalFlowValues() throws {
        #expect(try field("nothing").declaredType == "FlowValue?")
    }

    @Test func wholeFlowInputsTakeTheirDeclaredTypes() throws {
        let plan = try ScaffoldFixtures.plan(
            """
            flow: Inputs
            inputs:
              - {name: name, type: string, required: true}
              - {name: count, type: integer, default: 1}
              - {name: ratio, type: number}
              - {name: flag, type: boolean, required: true}
              - {name: tags, type: array, required: true}
              - {name: settings, type: object, required: true}
            steps:
              - task: Use
                inputs:
                  name: ${inputs.name}
                  count: ${inputs.count}
                  ratio: ${inputs.ratio}
                  flag: ${inputs.flag}
                  tags: ${inputs.tags}
                  settings: ${inputs.settings}
                  mode: ${inputs.settings.mode}
                  greeting: "Hi ${inputs.name}"
                  list: ["${inputs.name}"]
            """
        )
        let use = try ScaffoldFixtures.task("Use", in: plan)

        #expect(
            use.inputs.map(\.declaredType) == [
                "String", "Int", "Double?", "Bool", "[FlowValue]", "FlowValue", "FlowValue", "String", "[FlowValue]",
            ])
    }

    @Test func keysThatAreNotSwiftNamesGetCodingKeys() throws {
        let plan = try ScaffoldFixtures.plan(Self.typed)
        let file = try #require(plan.file(at: "Sources/TypedTasks/Tasks/Work.swift")).contents

        #expect(try field("class").propertyName == "`class`")
        #expect(try field("order-id").propertyName == "orderId")
        #expect(file.contains("var `class`: String?"))
        #expect(file.contains("case orderId = \"order-id\""))
        #expect(file.contains("case `class`\n"))
        #expect(TaskFileInspector.inputKeys(file) == (try ScaffoldFixtures.task("Work", in: plan)).inputKeys)
    }

    @Test func outputFieldsComeFromTheFieldsTheFlowReads() throws {
        let plan = try ScaffoldFixtures.plan(ScaffoldFixtures.shopFlow)
        let customer = try ScaffoldFixtures.task("LoadCustomer", in: plan)
        let charge = try ScaffoldFixtures.task("ChargeCard", in: plan)

        #expect(customer.outputs.map(\.key) == ["blocked", "name"])
        #expect(customer.outputs.map(\.declaredType) == ["Bool", "FlowValue"])
        #expect(charge.outputs.map(\.key) == ["charge_id"])
        #expect(try ScaffoldFixtures.task("ReserveShelf", in: plan).outputs.isEmpty)
        #expect(
            try #require(plan.file(at: "Sources/ShopOrderTasks/Tasks/ReserveShelf.swift")).contents.contains(
                "-> FlowValue {"))
    }

    @Test func mockResultsSteerAroundEarlyExits() throws {
        let plan = try ScaffoldFixtures.plan(
            """
            flow: Steer
            steps:
              - task: A
                id: a
              - if: ${a.valid} == false
                then:
                  - exit: invalid
              - if: ${a.score} > 80 or not ${a.ok}
                then:
                  - exit: risky
              - if: ${a.count} >= 3
                then:
                  - task: B
                else:
                  - exit: too few
              - if: ${a.label} == "x"
                then:
                  - exit: labelled
            """
        )

        #expect(
            try ScaffoldFixtures.task("A", in: plan).mockResult == [
                "valid": true, "score": 80, "ok": true, "count": 3, "label": "other",
            ])
    }

    @Test func mockResultsHaveNestedFieldsAndArraysTheFlowReads() throws {
        let plan = try ScaffoldFixtures.plan(
            """
            flow: Shapes
            steps:
              - task: A
                id: a
              - for_each: ${a.rows}
                as: row
                do:
                  - task: B
                    inputs: {id: "${row.id}", first: "${a.matrix[0]}"}
              - switch: ${a.meta.kind}
                cases:
                  - when: [x, y]
                    do:
                      - task: C
                        inputs: {n: "${a.meta.list.length}"}
            """
        )

        #expect(
            try ScaffoldFixtures.task("A", in: plan).mockResult == [
                "rows": [["id": "mock"]], "matrix": ["mock"], "meta": ["kind": "x", "list": []],
            ])
    }

    @Test func sampleInputsCoverEveryInputWithoutADefault() throws {
        let flow = try ScaffoldFixtures.load(ScaffoldFixtures.shopFlow)
        let analysis = FlowAnalysis.analyze(flow, source: ScaffoldFixtures.shopFlow)
        let samples = analysis.sampleInputs(for: flow)

        #expect(samples.map(\.name) == ["customer_id", "items", "coupon"])
        #expect(samples.map(\.value) == ["sample", [["sku": "sample", "quantity": "sample"]], "sample"])
    }

    @Test func generatedFlowTestsMockEveryTaskAndRunTheWholeFlow() throws {
        let plan = try ScaffoldFixtures.plan(ScaffoldFixtures.shopFlow)
        let tests = try #require(plan.file(at: "Tests/ShopOrderTasksTests/FlowTests.swift")).contents

        for task in plan.tasks {
            #expect(tests.contains("mocks.mock(\"\(task.name)\", returning:"))
        }
        #expect(tests.contains("expectSuccess(run)"))
        #expect(tests.contains("\"customer_id\": \"sample\""))
    }
}
