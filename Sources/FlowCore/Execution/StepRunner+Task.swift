import Foundation
import Logging
import OrderedCollections
import Tracing

extension StepRunner {
    /// Runs a task step: condition, dependencies, inputs, attempts with retry, events, result, `on_error`.
    ///
    /// With a journal, a step it has an entry for is replayed instead of run, and a step that ran is recorded
    /// before its result becomes visible to later steps.
    func runTask(_ step: TaskStep, in scope: ExecutionScope, at path: StepPath) async throws {
        let stepId = step.stepId
        if let condition = step.condition, try !evaluate(condition, in: scope, step: stepId.rawValue) { return }
        for dependency in step.dependsOn where !scope.hasResult(dependency) {
            throw FlowRunError(
                "Step '\(stepId)' depends on '\(dependency)' which hasn't executed", step: stepId.rawValue)
        }
        let inputs = try resolve(step.inputs, in: scope, step: stepId.rawValue, what: "inputs")
        let emits = emitter.isActive && !(step.silent ?? flow.silent)
        if let journal, let entry = journal.entry(at: path) {
            try await replay(entry, of: step, in: scope, at: path, emits: emits)
            return
        }
        let started = emits ? ContinuousClock.now : nil
        let startedAt = journal == nil ? nil : Date()
        if emits {
            emitter.emit(
                .stepStarted,
                [
                    "step_id": .string(stepId.rawValue), "step_path": .string(path.description),
                    "task": .string(step.task),
                    "inputs": inputs,
                ]
            )
        }
        do {
            let output: FlowValue
            let attempts: Int
            if step.retry.maxAttempts <= 1, step.timeout == nil {
                // Fast path: one attempt, no timeout: call the handler directly, no retry closure or extra frames.
                do {
                    let task = try registry.callableTask(named: step.task)
                    let context = TaskContext(
                        executionId: executionId, flowName: flow.name, stepId: stepId, taskName: step.task,
                        attempt: 1, clock: clock, logger: logger, stepPath: path, connectionName: step.connection,
                        connections: flow.connections, connectionPools: connectionPools
                    )
                    output = try await task.handler(inputs, context)
                    attempts = 1
                } catch {
                    throw failure(from: error, step: stepId.rawValue, attempts: 1)
                }
            } else {
                (output, attempts) = try await withRetry(
                    step.retry, stepId: stepId, path: path, name: step.task, emits: emits
                ) {
                    attempt in
                    (try await callTask(step, inputs: inputs, attempt: attempt, at: path), attempt)
                }
            }
            if let journal, let startedAt {
                await journal.record(
                    StepJournalEntry(
                        path: path, stepId: stepId, task: step.task, inputs: inputs, attempts: attempts,
                        outcome: .completed(output: output), startedAt: startedAt, finishedAt: Date()
                    )
                )
            }
            if let id = step.id { scope.store(output, for: id) }
            if emits, let started {
                emitter.emit(
                    .stepCompleted,
                    [
                        "step_id": .string(stepId.rawValue), "step_path": .string(path.description),
                        "task": .string(step.task),
                        "outputs": output, "duration_ms": .double((ContinuousClock.now - started).inMilliseconds),
                    ]
                )
            }
        } catch let failure as StepFailure {
            if let journal, let startedAt {
                await journal.record(
                    StepJournalEntry(
                        path: path, stepId: stepId, task: step.task, inputs: inputs, attempts: failure.attempts,
                        outcome: .failed(message: failure.message, type: failure.type), startedAt: startedAt,
                        finishedAt: Date()
                    )
                )
            }
            if emits, let started {
                emitter.emit(
                    .stepFailed,
                    [
                        "step_id": .string(stepId.rawValue), "step_path": .string(path.description),
                        "task": .string(step.task),
                        "error": .string(failure.message), "error_type": .string(failure.type),
                        "attempts": .int(failure.attempts),
                        "duration_ms": .double((ContinuousClock.now - started).inMilliseconds),
                    ]
                )
            }
            guard let handler = step.onError else { throw failure }
            try await runSteps(handler, in: scope.handler(error: failure.errorValue), at: path.list("on_error"))
        }
    }

    private func callTask(_ step: TaskStep, inputs: FlowValue, attempt: Int, at path: StepPath) async throws
        -> FlowValue
    {
        let task = try registry.callableTask(named: step.task)
        let context = TaskContext(
            executionId: executionId,
            flowName: flow.name,
            stepId: step.stepId,
            taskName: step.task,
            attempt: attempt,
            clock: clock,
            logger: logger,
            stepPath: path,
            connectionName: step.connection,
            connections: flow.connections,
            connectionPools: connectionPools
        )
        guard let timeout = step.timeout else { return try await task.handler(inputs, context) }
        // Deadline.run stops waiting at the deadline even when the handler ignores cancellation.
        let outcome = try await Deadline.run(
            within: timeout, clock: clock, late: lateResultLogger(step, attempt: attempt)
        ) {
            try await task.handler(inputs, context)
        }
        switch outcome {
        case .finished(let value):
            return value
        case .expired:
            throw TaskError(
                "Task '\(step.task)' timed out after \(FlowValue.render(timeout.inMilliseconds / 1000)) seconds",
                type: "TimeoutError"
            )
        }
    }

    /// Logs what a timed-out attempt's task returned or threw after its deadline; the value itself is dropped.
    private func lateResultLogger(_ step: TaskStep, attempt: Int) -> @Sendable (Result<FlowValue, any Error>) -> Void {
        let logger = logger
        let metadata: Logger.Metadata = [
            LogKey.executionId: .string(executionId.rawValue), LogKey.flow: .string(flow.name),
            LogKey.stepId: .string(step.stepId.rawValue),
            LogKey.task: .string(step.task), LogKey.attempt: .stringConvertible(attempt),
        ]
        return { result in
            switch result {
            case .failure(let error) where error is CancellationError:
                logger.debug("task stopped after its step timed out", metadata: metadata)
            case .failure(let error):
                var failed = metadata
                failed[LogKey.error] = .string(ErrorDescription.of(error).message)
                logger.warning("task failed after its step timed out; the error was discarded", metadata: failed)
            case .success:
                logger.warning("task finished after its step timed out; the result was discarded", metadata: metadata)
            }
        }
    }

    /// Calls `body` until it succeeds, the policy stops retrying, or the execution is cancelled.
    ///
    /// Failures come out as ``StepFailure`` with the last error's own message and type.
    func withRetry<Value>(
        _ policy: RetryPolicy,
        stepId: StepID,
        path: StepPath,
        name: String,
        emits: Bool,
        _ body: (Int) async throws -> Value
    ) async throws -> Value {
        var attempt = 1
        var generator = SystemRandomNumberGenerator()
        while true {
            TracedStep.span?.attributes[ExecutionSpan.attempt] = attempt
            do {
                return try await body(attempt)
            } catch {
                if Task.isCancelled { throw CancellationError() }
                let (message, type) = ErrorDescription.of(error)
                let structural = error is TaskLookupError || (error as? FlowRunError)?.isRetryable == false
                let retryable =
                    !structural && attempt < policy.maxAttempts
                    && policy.allowsRetry(ofErrorType: type)
                guard retryable else { throw failure(from: error, step: stepId.rawValue, attempts: attempt) }
                let delay = policy.delay(afterFailedAttempt: attempt - 1, using: &generator)
                if emits {
                    emitter.emit(
                        .stepRetrying,
                        [
                            "step_id": .string(stepId.rawValue), "step_path": .string(path.description),
                            "task": .string(name),
                            "attempt": .int(attempt),
                            "next_attempt": .int(attempt + 1), "max_attempts": .int(policy.maxAttempts),
                            "delay_seconds": .double(delay), "error": .string(message), "error_type": .string(type),
                        ]
                    )
                }
                if delay > 0 { try await clock.sleep(for: .seconds(fractional: delay)) }
                attempt += 1
            }
        }
    }
}

extension StepRunner {
    /// The error a failed call ends with: cancellation when the execution is cancelled, else a step failure.
    func failure(from error: any Error, step: String, attempts: Int) -> any Error {
        if Task.isCancelled { return CancellationError() }
        let (message, type) = ErrorDescription.of(error)
        return StepFailure(message: message, type: type, step: step, attempts: attempts)
    }
}

extension StepFailure {
    /// What `${error}` shows inside `on_error`: `message`, `type`, `step`, `attempts`.
    var errorValue: FlowValue {
        ["message": .string(message), "type": .string(type), "step": .string(step), "attempts": .int(attempts)]
    }
}
