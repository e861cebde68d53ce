import FlowCore
import Testing

@testable import FlowScaffold

/// Finding the tasks a flow calls, wherever they are written.
@Suite struct ScaffoldDiscoveryTests {
    static let nested = """
        flow: Nested
        inputs:
          - name: kind
            type: string
        steps:
          - task: Top
            id: top
            on_error:
              - task: TopHandler
          - if: ${top.ok}
            then:
              - task: ThenTask
            else:
              - task: ElseTask
          - switch: ${inputs.kind}
            cases:
              - when: a
                do:
                  - task: CaseA
              - default:
                  - task: CaseDefaultEntry
          - switch: ${inputs.kind}
            cases:
              - when: b
                do:
                  - task: CaseB
            default:
              - task: SwitchLevelDefault
          - for_each: [1, 2]
            as: n
            do:
              - task: LoopTask
                inputs: {n: "${n}"}
          - parallel:
              - task: ParallelOne
              - task: ParallelTwo
          - subflow: child
            id: child
            on_error:
              - task: SubflowHandler
          - if: ${top.deep}
            then:
              - for_each: ${inputs.kind}
                do:
                  - parallel:
                      - task: DeepTask
          - task: Echo
          - task: Top
            id: top_again
        on_cancel:
          - task: CancelCleanup
        """

    @Test func tasksInEveryNestedPlaceAreFoundAndSortedByName() throws {
        let tasks = Scaffolder.discoverTasks(in: try ScaffoldFixtures.load(Self.nested))

        #expect(
            tasks.map(\.name) == [
                "CancelCleanup", "CaseA", "CaseB", "CaseDefaultEntry", "DeepTask", "ElseTask", "LoopTask",
                "ParallelOne",
                "ParallelTwo", "SubflowHandler", "SwitchLevelDefault", "ThenTask", "Top", "TopHandler",
            ])
    }

    @Test func subflowTasksAndBuiltinTasksGetNoFile() throws {
        let plan = try ScaffoldFixtures.plan(Self.nested)

        #expect(plan.builtinTasks == ["Echo"])
        #expect(!plan.tasks.contains { $0.name == "Echo" || $0.name == "child" })
        #expect(plan.file(at: "Sources/NestedTasks/Tasks/Echo.swift") == nil)
    }

    @Test func aTaskUsedTwiceRecordsBothStepIdsAndItsCallCount() throws {
        let plan = try ScaffoldFixtures.plan(Self.nested)
        let top = try ScaffoldFixtures.task("Top", in: plan)

        #expect(top.stepIds == ["top", "top_again"])
        #expect(top.callCount == 2)
        #expect(try ScaffoldFixtures.task("ThenTask", in: plan).stepIds.isEmpty)
    }

    @Test func everyDiscoveredTaskGetsOneTaskFileAndOneTestFile() throws {
        let plan = try ScaffoldFixtures.plan(Self.nested)

        for task in plan.tasks {
            #expect(
                plan.file(at: "Sources/NestedTasks/Tasks/\(task.typeName).swift")?.policy
                    == .mergeTaskFile(task: task.name))
            #expect(plan.file(at: "Tests/NestedTasksTests/\(task.typeName)Tests.swift")?.policy == .createOnly)
        }
        #expect(plan.files.filter { $0.path.hasPrefix("Sources/NestedTasks/Tasks/") }.count == plan.tasks.count)
    }

    @Test func theRegistryRegistersEveryTaskByItsYAMLName() throws {
        let plan = try ScaffoldFixtures.plan(Self.nested)
        let registry = try #require(plan.file(at: "Sources/NestedTasks/TaskRegistry+Nested.swift"))

        for task in plan.tasks {
            #expect(registry.contents.contains("registry.add(\(task.typeName).self, named: \"\(task.name)\")"))
        }
        #expect(registry.policy == .regenerate)
    }

    @Test func taskNamesThatAreNotSwiftIdentifiersGetDistinctTypeNames() throws {
        let plan = try ScaffoldFixtures.plan(
            """
            flow: odd names
            steps:
              - task: send-email
              - task: send_email
              - task: 2fa.check
              - task: Input
            """
        )

        #expect(plan.layout.module == "OddNames")
        #expect(plan.tasks.map(\.typeName).sorted() == ["InputTask", "SendEmail", "SendEmail2", "Task2faCheck"])
    }

    @Test func flowNamesBecomePascalCaseModuleNamesKeepingTheirCapitals() {
        #expect(ProjectLayout(flowName: "OrderDemo").module == "OrderDemo")
        #expect(ProjectLayout(flowName: "order_fulfillment").module == "OrderFulfillment")
        #expect(ProjectLayout(flowName: "3d print").module == "Flow3dPrint")
        #expect(ProjectLayout(flowName: "OrderDemo").testsTarget == "OrderDemoTasksTests")
    }

    @Test func environmentVariablesAreFoundInTheFlowText() throws {
        let analysis = FlowAnalysis.analyze(
            try ScaffoldFixtures.load(ScaffoldFixtures.shopFlow),
            source: ScaffoldFixtures.shopFlow + "\n# ${env.API_KEY} ${env.bad-name}")

        #expect(analysis.environmentVariables == ["API_KEY", "DATABASE_URL"])
    }
}
