import OrderedCollections

extension StepRunner {
    /// Runs another flow with its own scope; its step events are forwarded marked with the subflow path.
    func runSubflow(_ step: SubflowStep, in scope: ExecutionScope, at path: StepPath) async throws {
        let stepId = step.stepId
        let inputs = try resolve(step.inputs, in: scope, step: stepId.rawValue, what: "subflow inputs")
        let chain = callStack + [step.name]
        let started = ContinuousClock.now
        if emitter.isActive {
            emitter.emit(
                .subflowStarted,
                [
                    "subflow_name": .string(step.name), "step_id": .string(stepId.rawValue),
                    "step_path": .string(path.description),
                    "inputs": inputs,
                    "call_stack": .array(chain.map(FlowValue.string)),
                ]
            )
        }
        do {
            let outputs = try await withRetry(
                step.retry, stepId: stepId, path: path, name: step.name, emits: emitter.isActive
            ) {
                attempt in
                try await callSubflow(step, inputs: inputs, chain: chain, at: path.subflow(attempt: attempt))
            }
            if let id = step.id { scope.store(outputs, for: id) }
            if emitter.isActive {
                emitter.emit(
                    .subflowCompleted,
                    [
                        "subflow_name": .string(step.name), "step_id": .string(stepId.rawValue),
                        "step_path": .string(path.description),
                        "outputs": outputs,
                        "duration_ms": .double((ContinuousClock.now - started).inMilliseconds),
                    ]
                )
            }
        } catch let failure as StepFailure {
            if emitter.isActive {
                emitter.emit(
                    .subflowFailed,
                    [
                        "subflow_name": .string(step.name), "step_id": .string(stepId.rawValue),
                        "step_path": .string(path.description),
                        "error": .string(failure.message), "error_type": .string(failure.type),
                        "duration_ms": .double((ContinuousClock.now - started).inMilliseconds),
                    ]
                )
            }
            guard let handler = step.onError else { throw failure }
            try await runSteps(handler, in: scope.handler(error: failure.errorValue), at: path.list("on_error"))
        }
    }

    /// Runs the subflow's own flow; `path` is where its steps sit in the run.
    private func callSubflow(_ step: SubflowStep, inputs: FlowValue, chain: [String], at path: StepPath) async throws
        -> FlowValue
    {
        if callStack.contains(step.name) {
            throw FlowRunError(
                "Circular subflow dependency detected: \(chain.joined(separator: " -> "))",
                isRetryable: false
            )
        }
        let child: FlowDefinition
        do {
            child = try subflowLoader.loadSubflow(named: step.name, calledFrom: flow)
        } catch {
            var structural = error
            structural.isRetryable = false
            throw structural
        }
        let childInputs: OrderedDictionary<String, FlowValue>
        do {
            childInputs = try InputValidator.validate(inputs.objectValue ?? [:], for: child)
        } catch {
            throw FlowRunError("Subflow '\(step.name)' failed: \(error.description)", type: "FlowValidationError")
        }
        let runner = StepRunner(
            flow: child,
            registry: registry,
            clock: clock,
            emitter: emitter.child(subflow: step.name),
            executionId: executionId,
            logger: logger,
            subflowLoader: subflowLoader,
            callStack: chain,
            tracer: tracer,
            subflowCleanupErrors: subflowCleanupErrors,
            root: path,
            journal: journal,
            connectionPools: connectionPools,
            cancellation: cancellation
        )
        let childScope = ExecutionScope.root(inputs: childInputs)
        let (outcome, timedOut) = await runner.runBody(in: childScope, timeout: child.timeout)
        switch outcome {
        case .completed(let outputs), .terminated(_, let outputs):
            return .object(outputs)
        case .failed(let failure):
            throw FlowRunError("Subflow '\(step.name)' failed: \(failure.message)", type: failure.type)
        case .cancelled:
            // The child's own on_cancel runs first, whether its timeout or the run's cancellation stopped it.
            let cleanupErrors = await runner.runCleanupWithinLimit(in: childScope).map {
                "subflow '\(step.name)': \($0)"
            }
            guard timedOut, let timeout = child.timeout else {
                subflowCleanupErrors.append(contentsOf: cleanupErrors)
                throw CancellationError()
            }
            let cleanupNote = cleanupErrors.isEmpty ? "" : " (on_cancel: \(cleanupErrors.joined(separator: "; ")))"
            throw FlowRunError(
                "Subflow '\(step.name)' timed out after \(FlowValue.render(timeout.inMilliseconds / 1000)) seconds"
                    + cleanupNote,
                type: "TimeoutError"
            )
        }
    }
}

extension StepRunner {
    private enum BodyRaceEvent: Sendable {
        case finished(Outcome)
        case expired
        case stopped
    }

    /// Runs the body, cancelling it when `timeout` passes first; `timedOut` says whether the timeout ended it.
    ///
    /// Like the top-level flow `timeout:`, this works through cancellation: the body's steps stop at their next
    /// check, and a task step with its own `timeout:` stops being waited for at that deadline.
    func runBody(in scope: ExecutionScope, timeout: Duration?) async -> (outcome: Outcome, timedOut: Bool) {
        guard let timeout else { return (await runBody(in: scope), false) }
        let clock = clock
        return await withTaskGroup(of: BodyRaceEvent.self) { group in
            group.addTask { .finished(await runBody(in: scope)) }
            group.addTask {
                do {
                    try await clock.sleep(for: timeout)
                    return .expired
                } catch {
                    return .stopped
                }
            }
            var outcome: Outcome = .cancelled
            var expired = false
            while let event = await group.next() {
                switch event {
                case .finished(let finished):
                    outcome = finished
                    group.cancelAll()
                case .expired:
                    expired = true
                    group.cancelAll()
                case .stopped:
                    break
                }
            }
            if case .cancelled = outcome { return (outcome, expired) }
            return (outcome, false)
        }
    }
}
