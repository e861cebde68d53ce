import FlowCore
import FlowServer
import FlowTesting
import Hummingbird
import HummingbirdTesting
import InMemoryTracing
import Testing
import Tracing

/// Execution and step spans (issue #7), recorded by an in-memory tracer: the parent/child tree and attributes.
@Suite(.timeLimit(.minutes(1)))
struct TracingTests {
    static let nested = """
        flow: Nested
        inputs:
          - name: items
            type: array
            default: [1, 2]
        steps:
          - task: Echo
            id: first
            inputs: {n: 1}
          - parallel:
              - task: Echo
                id: left
              - task: Echo
                id: right
          - for_each: ${inputs.items}
            as: item
            id: loop
            do:
              - task: Echo
                id: each
                inputs: {item: "${item}"}
          - if: ${first.n} == 2
            then:
              - task: Echo
                id: never
        """

    /// The finished spans of one run, looked up by name.
    struct Tree {
        let spans: [FinishedInMemorySpan]

        func named(_ name: String) -> [FinishedInMemorySpan] { spans.filter { $0.operationName == name } }

        func one(_ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws
            -> FinishedInMemorySpan
        {
            let found = named(name)
            try #require(
                found.count == 1, "expected one span '\(name)', found \(found.count)", sourceLocation: sourceLocation)
            return found[0]
        }

        func children(of parent: FinishedInMemorySpan) -> [String] {
            spans.filter { $0.parentSpanID == parent.spanID }.map(\.operationName).sorted()
        }
    }

    static func run(_ yaml: String, registry: TaskRegistry = TaskRegistry()) async throws -> (ExecutionResult, Tree) {
        let tracer = InMemoryTracer()
        let executor = FlowExecutor(registry: registry, clock: ImmediateClock(), tracer: tracer)
        let result = try await executor.execute(try FlowLoader().load(yaml: yaml), inputs: [:])
        return (result, Tree(spans: tracer.finishedSpans))
    }

    @Test func theExecutionIsTheRootAndNestedStepsAreChildrenOfTheirParentStep() async throws {
        let (result, tree) = try await Self.run(Self.nested)
        #expect(result.status == .completed)
        let root = try tree.one("flow.execute Nested")
        #expect(root.parentSpanID == nil)
        #expect(root.attributes.get(ExecutionSpan.flow) == "Nested")
        #expect(root.attributes.get(ExecutionSpan.executionId) == .string(result.executionId.rawValue))
        #expect(root.attributes.get(ExecutionSpan.outcome) == "completed")
        #expect(tree.children(of: root) == ["for_each loop", "if", "parallel", "step first"])
        #expect(tree.children(of: try tree.one("parallel")) == ["step left", "step right"])
        #expect(tree.children(of: try tree.one("for_each loop")) == ["step each", "step each"])
        #expect(tree.children(of: try tree.one("if")).isEmpty)
        #expect(Set(tree.spans.map(\.traceID)).count == 1)

        let first = try tree.one("step first")
        #expect(first.attributes.get(ExecutionSpan.flow) == "Nested")
        #expect(first.attributes.get(ExecutionSpan.step) == "first")
        #expect(first.attributes.get(ExecutionSpan.task) == "Echo")
        #expect(first.attributes.get(ExecutionSpan.attempt) == 1)
        #expect(first.attributes.get(ExecutionSpan.outcome) == "completed")
        #expect(first.errors.isEmpty)
    }

    @Test func aRetriedFailingStepRecordsItsAttemptsOutcomeAndError() async throws {
        let (result, tree) = try await Self.run(MetricsTests.retrying)
        #expect(result.status == .failed)
        let charge = try tree.one("step charge")
        #expect(charge.attributes.get(ExecutionSpan.attempt) == 3)
        #expect(charge.attributes.get(ExecutionSpan.outcome) == "failed")
        #expect(charge.errors.count == 1)
        #expect(charge.errors.first.map { "\($0.error)" } == "PaymentDeclined: card declined")
        #expect(charge.status?.code == .error)
        let root = try tree.one("flow.execute Retrying")
        #expect(root.attributes.get(ExecutionSpan.outcome) == "failed")
        #expect(root.status?.code == .error)
    }

    @Test func aHandledFailureIsRecoveredAndAFalseConditionSkipped() async throws {
        let (result, tree) = try await Self.run(
            """
            flow: Handled
            steps:
              - task: Fail
                id: charge
                inputs: {message: declined}
                on_error:
                  - task: Echo
                    id: refund
              - task: Echo
                id: flag
                inputs: {on: false}
              - task: Echo
                id: maybe
                if: ${flag.on} == true
            """
        )
        #expect(result.status == .completed)
        let charge = try tree.one("step charge")
        #expect(charge.attributes.get(ExecutionSpan.outcome) == "recovered")
        #expect(charge.errors.count == 1)
        #expect(tree.children(of: charge) == ["step refund"])
        #expect(try tree.one("step maybe").attributes.get(ExecutionSpan.outcome) == "skipped")
    }

    @Test func aTasksOwnSpansAreChildrenOfItsStep() async throws {
        let tracer = InMemoryTracer()
        var registry = TaskRegistry()
        registry.register("Charge") { _, _ in
            await tracer.withSpan("gateway.charge") { _ in
                await Task.yield()
                return ["ok": true]
            }
        }
        let executor = FlowExecutor(registry: registry, tracer: tracer)
        _ = try await executor.execute(
            try FlowLoader().load(yaml: "flow: Pay\nsteps:\n  - task: Charge\n    id: pay\n"))
        let tree = Tree(spans: tracer.finishedSpans)
        #expect(tree.children(of: try tree.one("step pay")) == ["gateway.charge"])
    }

    @Test func serverExecutionsAreTracedWithTheirExecutionId() async throws {
        let tracer = InMemoryTracer()
        let app = buildApplication(
            catalog: FlowCatalog(flow: try TestFlowServer.served(ServerFlows.greeting)),
            configuration: TestFlowServer.configuration(),
            observability: ServerObservability(tracer: tracer),
            logger: TestFlowServer.logger
        )
        try await app.test(.router) { client in
            let response = try await client.executeFlow("Greeting", inputs: ["user_name": "Ann"])
            let tree = Tree(spans: tracer.finishedSpans)
            let root = try tree.one("flow.execute Greeting")
            #expect(root.attributes.get(ExecutionSpan.executionId) == response.executionId.map(SpanAttribute.string))
            #expect(tree.children(of: root) == ["if", "if", "step greet"])
        }
    }

    @Test func aNoOpTracerCountsAsNoTracer() {
        var observability = ServerObservability(tracer: NoOpTracer())
        #expect(observability.tracer == nil)
        observability.tracer = InMemoryTracer()
        #expect(observability.tracer is InMemoryTracer)
        observability.tracer = NoOpTracer()
        #expect(observability.tracer == nil)
    }
}
