import OrderedCollections
import Tracing

/// Span attribute names and outcomes shared by execution and step spans.
public enum ExecutionSpan {
    public static let flow = "flowlang.flow"
    public static let executionId = "flowlang.execution_id"
    public static let step = "flowlang.step"
    public static let stepType = "flowlang.step_type"
    public static let task = "flowlang.task"
    public static let attempt = "flowlang.attempt"
    public static let outcome = "flowlang.outcome"
}

extension FlowExecutor {
    /// Runs `body` inside the execution's root span, `flow.execute <flow>`, a child of the caller's span if any.
    func traced(
        _ flow: FlowDefinition,
        options: ExecutionOptions,
        tracer: any Tracer,
        _ body: () async -> ExecutionResult
    ) async -> ExecutionResult {
        let span = tracer.startAnySpan("flow.execute \(flow.name)")
        defer { span.end() }
        span.attributes[ExecutionSpan.flow] = flow.name
        span.attributes[ExecutionSpan.executionId] = options.executionId.rawValue
        let result = await ServiceContext.withValue(span.context) { await body() }
        span.attributes[ExecutionSpan.outcome] = result.status.rawValue
        if let failure = result.failure {
            span.recordError(StepSpanError(message: failure.message, type: failure.type))
            span.setStatus(SpanStatus(code: .error, message: failure.message))
        }
        return result
    }
}

extension StepRunner {
    /// Runs one step inside its own span, so the steps it contains (and a task's own spans) become its children.
    ///
    /// Outcomes: `completed`, `skipped` (a false `if:`), `recovered` (failed, `on_error` ran), `failed`,
    /// `exited` and `cancelled`. A task step that recorded no attempt count made one attempt (the single-attempt
    /// path leaves it out).
    func runTraced(_ step: Step, in scope: ExecutionScope, at path: StepPath, tracer: any Tracer) async throws {
        let span = tracer.startAnySpan(Self.spanName(of: step))
        defer { span.end() }
        defer {
            if case .task = step, span.attributes[ExecutionSpan.attempt] == nil {
                span.attributes[ExecutionSpan.attempt] = 1
            }
        }
        span.attributes[ExecutionSpan.flow] = flow.name
        span.attributes[ExecutionSpan.stepType] = step.kindName
        switch step {
        case .task(let task):
            span.attributes[ExecutionSpan.step] = task.stepId.rawValue
            span.attributes[ExecutionSpan.task] = task.task
        case .subflow(let subflow):
            span.attributes[ExecutionSpan.step] = subflow.stepId.rawValue
        default:
            if let id = step.id { span.attributes[ExecutionSpan.step] = id }
        }
        do {
            try await ServiceContext.withValue(span.context) {
                switch step {
                case .task(let task): try await runTracedTask(task, in: scope, at: path, span: span)
                case .subflow:
                    try await TracedStep.$span.withValue(span) { try await runStep(step, in: scope, at: path) }
                default: try await runStep(step, in: scope, at: path)
                }
            }
            if span.attributes[ExecutionSpan.outcome] == nil { span.attributes[ExecutionSpan.outcome] = "completed" }
        } catch {
            if let failure = error as? StepFailure { span.attributes[ExecutionSpan.attempt] = failure.attempts }
            switch error {
            case is ExitSignal:
                span.attributes[ExecutionSpan.outcome] = "exited"
            case is CancellationError:
                span.attributes[ExecutionSpan.outcome] = "cancelled"
            default:
                span.attributes[ExecutionSpan.outcome] = Task.isCancelled ? "cancelled" : "failed" as String
                if !Task.isCancelled { span.recordFailure(error) }
            }
            throw error
        }
    }

    /// Runs a task step for its span: records a false condition as `skipped`, and runs `on_error` itself so that
    /// a handled failure is recorded as `recovered` (``runTask(_:in:at:)`` stays untouched for untraced runs).
    private func runTracedTask(_ task: TaskStep, in scope: ExecutionScope, at path: StepPath, span: any Span)
        async throws
    {
        if let condition = task.condition, try !evaluate(condition, in: scope, step: task.stepId.rawValue) {
            span.attributes[ExecutionSpan.outcome] = "skipped"
            return
        }
        var attempted = task
        attempted.onError = nil
        do {
            try await TracedStep.$span.withValue(span) { try await runTask(attempted, in: scope, at: path) }
        } catch let failure as StepFailure {
            guard let handler = task.onError else { throw failure }
            span.attributes[ExecutionSpan.attempt] = failure.attempts
            span.recordFailure(failure)
            try await runSteps(handler, in: scope.handler(error: failure.errorValue), at: path.list("on_error"))
            span.attributes[ExecutionSpan.outcome] = "recovered"
        }
    }

    static func spanName(of step: Step) -> String {
        switch step {
        case .task(let task): "step \(task.stepId)"
        case .subflow(let subflow): "subflow \(subflow.name)"
        default: step.id.map { "\(step.kindName) \($0)" } ?? step.kindName
        }
    }
}

/// The span of the traced task or subflow step running now; retries record their attempt count on it.
enum TracedStep {
    @TaskLocal static var span: (any Span)?
}

extension Span {
    /// Records `error` with its FlowLang message and type, and marks the span failed.
    func recordFailure(_ error: any Error) {
        let (message, type) = (error as? StepFailure).map { ($0.message, $0.type) } ?? ErrorDescription.of(error)
        recordError(StepSpanError(message: message, type: type))
        setStatus(SpanStatus(code: .error, message: message))
    }
}

/// The error recorded on a failed span: the message and type FlowLang reports, never internal types.
public struct StepSpanError: Error, CustomStringConvertible {
    public let message: String
    public let type: String

    public var description: String { "\(type): \(message)" }
}
