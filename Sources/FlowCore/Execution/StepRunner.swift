import Logging
import OrderedCollections
import Synchronization
import Tracing

/// Walks a flow's step tree for one execution (or one subflow call inside it).
struct StepRunner: Sendable {
    let flow: FlowDefinition
    let registry: TaskRegistry
    let clock: any Clock<Duration>
    let emitter: EventEmitter
    let executionId: ExecutionID
    let logger: Logger
    let subflowLoader: any SubflowLoader
    /// Subflow names from the top-level flow down to this one, for cycle detection.
    let callStack: [String]
    /// Records a span per step when set.
    let tracer: (any Tracer)?
    /// Errors from the `on_cancel` of subflows that were cancelled with the run, reported with the run's own.
    let subflowCleanupErrors: CleanupErrors
    /// Where this flow's steps sit in the run: the root, or a subflow call's path.
    let root: StepPath
    /// The durable record of task steps a resumed run reuses; nil when the store keeps none.
    let journal: (any StepJournal)?
    /// The pools tasks get connections from.
    let connectionPools: (any ConnectionProvider)?
    /// The run's cancellation signal: a run handed over to another instance skips `on_cancel`.
    let cancellation: CancellationSignal?

    /// How a flow body ended.
    enum Outcome: Sendable {
        case completed(OrderedDictionary<String, FlowValue>)
        case terminated(reason: String, outputs: OrderedDictionary<String, FlowValue>)
        case failed(ExecutionResult.Failure)
        case cancelled
    }

    static let defaultExitReason = "Flow terminated by exit step"

    /// Runs the steps and collects the outputs, turning every way of ending into an outcome.
    func runBody(in scope: ExecutionScope) async -> Outcome {
        do {
            try await runSteps(flow.steps, in: scope, at: root)
            if Task.isCancelled { return .cancelled }
            return .completed(try collectOutputs(in: scope))
        } catch let exit as ExitSignal {
            return .terminated(reason: exit.reason, outputs: exit.outputs)
        } catch let failure as StepFailure {
            if Task.isCancelled { return .cancelled }
            return .failed(
                .init(
                    message: failure.message, type: failure.type, failedStep: failure.step, attempts: failure.attempts)
            )
        } catch let error as FlowRunError {
            if Task.isCancelled { return .cancelled }
            return .failed(.init(message: error.message, type: error.type, failedStep: error.step))
        } catch {
            if Task.isCancelled || error is CancellationError { return .cancelled }
            let (message, type) = ErrorDescription.of(error)
            return .failed(.init(message: message, type: type))
        }
    }

    /// Runs `on_cancel` once, shielded from the run's cancellation but bounded by the flow's `on_cancel_timeout`
    /// (``FlowDefinition/defaultOnCancelTimeout`` unless set); returns the errors, a timeout included.
    ///
    /// The cleanup runs in an unstructured task because a cancelled task cannot run steps: that task is not
    /// cancelled with its creator, and it is awaited right here, so it never outlives this call. Inside it,
    /// ``Deadline`` stops waiting at the limit even when a cleanup step ignores cancellation; such a step is
    /// cancelled and whatever it does afterwards is dropped (its events too: the emitter is closed by then).
    func runCleanupWithinLimit(in scope: ExecutionScope) async -> [String] {
        guard !flow.onCancel.isEmpty, cancellation?.isHandedOver != true else { return [] }
        let limit = flow.onCancelTimeout ?? FlowDefinition.defaultOnCancelTimeout
        let errors = CleanupErrors()
        let logger = logger
        let metadata: Logger.Metadata = [
            LogKey.executionId: .string(executionId.rawValue), LogKey.flow: .string(flow.name),
        ]
        return await Task {
            let outcome: Deadline.Outcome<Void>
            do {
                outcome = try await Deadline.run(
                    within: limit,
                    clock: clock,
                    late: { _ in logger.debug("on_cancel stopped after its time limit", metadata: metadata) }
                ) {
                    await runCleanup(in: scope, collecting: errors)
                }
            } catch {
                // Only the caller's cancellation ends Deadline.run with an error, and this task is never cancelled.
                outcome = .expired
            }
            if case .expired = outcome {
                let seconds = FlowValue.render(limit.inMilliseconds / 1000)
                errors.append(
                    "on_cancel timed out after \(seconds) seconds (on_cancel_timeout); the cleanup was stopped")
                logger.warning("on_cancel timed out after \(seconds) seconds", metadata: metadata)
            }
            return errors.all
        }.value
    }

    /// Runs `on_cancel` steps one by one, collecting errors instead of stopping at the first.
    ///
    /// A step whose inputs name a step that never ran (nothing to undo yet) is skipped, not an error.
    /// Stops when its task is cancelled, which happens only when the cleanup's time limit passed.
    private func runCleanup(in scope: ExecutionScope, collecting errors: CleanupErrors) async {
        let cleanup = root.list("on_cancel")
        for (index, step) in flow.onCancel.enumerated() {
            if Task.isCancelled { return }
            do {
                try await runStep(step, in: scope, at: cleanup.step(index))
            } catch let error as FlowRunError where error.isMissingResult {
                logger.debug(
                    "on_cancel step skipped: \(error.message)",
                    metadata: [LogKey.executionId: .string(executionId.rawValue), LogKey.flow: .string(flow.name)]
                )
            } catch let failure as StepFailure {
                errors.append("\(failure.step): \(failure.message)")
            } catch is ExitSignal {
                return
            } catch {
                if Task.isCancelled { return }
                errors.append(ErrorDescription.of(error).message)
            }
        }
    }

    /// Runs `steps`, the list at `list`, in order.
    func runSteps(_ steps: [Step], in scope: ExecutionScope, at list: StepPath) async throws {
        for (index, step) in steps.enumerated() {
            if Task.isCancelled { throw CancellationError() }
            let path = list.step(index)
            if let tracer {
                try await runTraced(step, in: scope, at: path, tracer: tracer)
                continue
            }
            // Task steps are by far the most common; calling them directly saves an async frame per step.
            if case .task(let task) = step {
                try await runTask(task, in: scope, at: path)
            } else {
                try await runStep(step, in: scope, at: path)
            }
        }
    }

    func runStep(_ step: Step, in scope: ExecutionScope, at path: StepPath) async throws {
        switch step {
        case .task(let task): try await runTask(task, in: scope, at: path)
        case .parallel(let parallel): try await runParallel(parallel, in: scope, at: path)
        case .conditional(let conditional):
            if try evaluate(conditional.condition, in: scope, step: nil) {
                try await runSteps(conditional.thenSteps, in: scope, at: path.list("then"))
            } else {
                try await runSteps(conditional.elseSteps, in: scope, at: path.list("else"))
            }
        case .switchCase(let switchStep): try await runSwitch(switchStep, in: scope, at: path)
        case .forEach(let loop): try await runForEach(loop, in: scope, at: path)
        case .subflow(let subflow): try await runSubflow(subflow, in: scope, at: path)
        case .exit(let exit): try runExit(exit, in: scope)
        }
    }

    // MARK: - Values

    func resolve(_ template: ValueTemplate, in scope: ExecutionScope, step: String?, what: String) throws(FlowRunError)
        -> FlowValue
    {
        do {
            return try template.resolve(in: scope)
        } catch {
            throw FlowRunError.reference(error, step: step, what: what)
        }
    }

    func evaluate(_ condition: Condition, in scope: ExecutionScope, step: String?) throws(FlowRunError) -> Bool {
        do {
            return try condition.evaluate(in: scope)
        } catch {
            switch error {
            case .resolution(let resolution):
                throw FlowRunError.reference(resolution, step: step, what: "condition")
            case .invalid(let invalid):
                let location = step.map { " in step '\($0)'" } ?? ""
                throw FlowRunError("\(invalid.message) (condition\(location))", type: "ConditionError", step: step)
            }
        }
    }

    /// Declared outputs; an output whose source step did not run is `null`.
    func collectOutputs(in scope: ExecutionScope) throws(FlowRunError) -> OrderedDictionary<String, FlowValue> {
        var outputs = OrderedDictionary<String, FlowValue>()
        for output in flow.outputs {
            do {
                outputs[output.name] = try output.value.resolve(in: scope)
            } catch  where error.kind == .unknownRoot {
                outputs[output.name] = .null
            } catch {
                throw FlowRunError("\(error.message) (output '\(output.name)')", type: "ReferenceError")
            }
        }
        return outputs
    }

    // MARK: - Exit, switch, parallel

    func runExit(_ exit: ExitStep, in scope: ExecutionScope) throws {
        let reason = try exit.reason.map {
            try resolve($0, in: scope, step: nil, what: "exit reason").interpolationText
        }
        let outputs = try exit.outputs.map { try resolve($0, in: scope, step: nil, what: "exit outputs").objectValue }
        let finalReason = reason ?? Self.defaultExitReason
        let finalOutputs = (outputs ?? nil) ?? [:]
        emitter.emit(.flowTerminated, ["reason": .string(finalReason), "outputs": .object(finalOutputs)])
        throw ExitSignal(reason: finalReason, outputs: finalOutputs)
    }

    func runSwitch(_ step: SwitchStep, in scope: ExecutionScope, at path: StepPath) async throws {
        let value = try resolve(step.value, in: scope, step: nil, what: "switch value")
        for (index, candidate) in step.cases.enumerated() {
            let match = try resolve(candidate.match, in: scope, step: nil, what: "switch case")
            let matches: Bool
            if case .array(let options) = match {
                matches = options.contains { ValueComparison.strictlyEqual(value, $0) }
            } else {
                matches = ValueComparison.strictlyEqual(value, match)
            }
            if matches {
                try await runSteps(candidate.steps, in: scope, at: path.list("case" + String(index)))
                return
            }
        }
        if let defaultSteps = step.defaultSteps {
            try await runSteps(defaultSteps, in: scope, at: path.list("default"))
        }
    }

    /// Runs branches in a task group: the first failure or exit cancels the others and waits for them.
    func runParallel(_ step: ParallelStep, in scope: ExecutionScope, at path: StepPath) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, branch) in step.branches.enumerated() {
                group.addTask { try await runSteps(branch, in: scope, at: path.list("branch" + String(index))) }
            }
            // `next()` rethrows the first failure; leaving the closure with it cancels and awaits the rest.
            while try await group.next() != nil {}
        }
    }
}

/// Cleanup error messages collected from concurrent places, in the order they happened.
final class CleanupErrors: Sendable {
    private let messages = Mutex<[String]>([])

    func append(_ message: String) {
        messages.withLock { $0.append(message) }
    }

    func append(contentsOf more: [String]) {
        messages.withLock { $0.append(contentsOf: more) }
    }

    var all: [String] { messages.withLock { $0 } }
}
