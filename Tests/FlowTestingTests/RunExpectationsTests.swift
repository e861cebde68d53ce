import FlowCore
import FlowTesting
import OrderedCollections
import Testing

struct RunExpectationsTests {
    static func run(
        _ status: ExecutionResult.Status,
        outputs: [(String, FlowValue)] = [],
        reason: String? = nil,
        failure: ExecutionResult.Failure? = nil,
        events: [ExecutionEvent.Kind] = []
    ) -> FlowTestRun {
        var result = ExecutionResult(executionId: "e", flowName: "F", status: status, reason: reason, failure: failure)
        for (name, value) in outputs { result.outputs[name] = value }
        return FlowTestRun(
            result: result,
            events: events.map { ExecutionEvent(kind: $0, executionId: "e", data: [:]) },
            calls: []
        )
    }

    static let completed = run(.completed, outputs: [("total", 42), ("user", ["name": "Alice", "age": 30])])
    static let failed = run(
        .failed,
        failure: ExecutionResult.Failure(message: "card declined", type: "PaymentDeclined", failedStep: "charge")
    )
    static let failedOutsideSteps = run(
        .failed, failure: ExecutionResult.Failure(message: "bad output", type: "KeyError"))
    static let terminated = run(.terminated, outputs: [("why", "early")], reason: "Already shipped")
    static let cancelled = run(.cancelled, reason: "user aborted")

    // MARK: expectSuccess

    @Test func expectSuccessPassesForCompletedAndTerminatedRuns() {
        #expect(expectSuccess(Self.completed))
        #expect(expectSuccess(Self.terminated))
    }

    @Test func expectSuccessReportsTheErrorTypeAndStepOfAFailedRun() {
        let messages = recordedIssues { #expect(!expectSuccess(Self.failed)) }

        #expect(messages == ["Flow execution failed: card declined (PaymentDeclined) at step 'charge'"])
    }

    @Test func expectSuccessLeavesOutTheStepWhenNoStepFailed() {
        let messages = recordedIssues { expectSuccess(Self.failedOutsideSteps) }

        #expect(messages == ["Flow execution failed: bad output (KeyError)"])
    }

    @Test func expectSuccessReportsACancelledRun() {
        let messages = recordedIssues { expectSuccess(Self.cancelled) }

        #expect(messages == ["Flow execution was cancelled: user aborted"])
    }

    @Test func issuesAreAttributedToTheCallingLine() {
        var expectedLine = 0
        let lines = recordedIssueLines {
            expectedLine = #line + 1
            expectSuccess(Self.failed)
        }

        #expect(lines == [expectedLine])
    }

    // MARK: expectFailure

    @Test func expectFailurePassesWhenEveryGivenDetailMatches() {
        #expect(expectFailure(Self.failed))
        #expect(expectFailure(Self.failed, errorContains: "declined"))
        #expect(expectFailure(Self.failed, type: "PaymentDeclined"))
        #expect(expectFailure(Self.failed, errorContains: "card", type: "PaymentDeclined", step: "charge"))
    }

    @Test func expectFailureReportsASuccessfulRun() {
        let messages = recordedIssues { #expect(!expectFailure(Self.completed)) }

        #expect(messages == ["Flow execution completed, expected a failure"])
    }

    @Test func expectFailureReportsTerminatedAndCancelledRuns() {
        let messages = recordedIssues {
            expectFailure(Self.terminated)
            expectFailure(Self.cancelled)
        }

        #expect(
            messages == [
                "Flow execution was terminated: Already shipped, expected a failure",
                "Flow execution was cancelled: user aborted, expected a failure",
            ]
        )
    }

    @Test func expectFailureReportsAMessageWithoutTheExpectedText() {
        let messages = recordedIssues { #expect(!expectFailure(Self.failed, errorContains: "timeout")) }

        #expect(messages == ["Flow error 'card declined' does not contain 'timeout'"])
    }

    @Test func expectFailureReportsAnotherErrorType() {
        let messages = recordedIssues { expectFailure(Self.failed, type: "TimeoutError") }

        #expect(messages == ["Flow error type is 'PaymentDeclined', expected 'TimeoutError'"])
    }

    @Test func expectFailureReportsAnotherFailedStep() {
        let messages = recordedIssues {
            expectFailure(Self.failed, step: "ship")
            expectFailure(Self.failedOutsideSteps, step: "ship")
        }

        #expect(
            messages == [
                "Flow failed at step 'charge', expected step 'ship'",
                "Flow failed outside any step, expected step 'ship'",
            ]
        )
    }

    @Test func expectFailureReportsEveryMismatch() {
        let messages = recordedIssues { expectFailure(Self.failed, errorContains: "x", type: "Y", step: "z") }

        #expect(messages.count == 3)
    }

    // MARK: expectTerminated

    @Test func expectTerminatedPassesForAnExitWithTheGivenReason() {
        #expect(expectTerminated(Self.terminated))
        #expect(expectTerminated(Self.terminated, reason: "Already shipped"))
    }

    @Test func expectTerminatedReportsARunThatWasNotTerminated() {
        let messages = recordedIssues {
            #expect(!expectTerminated(Self.completed))
            expectTerminated(Self.failed)
        }

        #expect(
            messages == [
                "Flow execution completed, expected termination by an exit step",
                "Flow execution failed: card declined (PaymentDeclined) at step 'charge', "
                    + "expected termination by an exit step",
            ]
        )
    }

    @Test func expectTerminatedReportsAnotherReason() {
        let messages = recordedIssues { #expect(!expectTerminated(Self.terminated, reason: "Out of stock")) }

        #expect(messages == ["Termination reason is 'Already shipped', expected 'Out of stock'"])
    }

    // MARK: expectCancelled

    @Test func expectCancelledPassesForACancelledRunWithTheGivenReason() {
        #expect(expectCancelled(Self.cancelled))
        #expect(expectCancelled(Self.cancelled, reason: "user aborted"))
    }

    @Test func expectCancelledReportsARunThatWasNotCancelled() {
        let messages = recordedIssues { #expect(!expectCancelled(Self.completed)) }

        #expect(messages == ["Flow execution completed, expected cancellation"])
    }

    @Test func expectCancelledReportsAnotherReason() {
        let messages = recordedIssues { #expect(!expectCancelled(Self.cancelled, reason: "timeout")) }

        #expect(messages == ["Cancellation reason is 'user aborted', expected 'timeout'"])
    }

    // MARK: expectOutput / expectOutputExists

    @Test func expectOutputPassesForEqualValues() {
        #expect(expectOutput(Self.completed, "total", equals: 42))
        #expect(expectOutput(Self.terminated, "why", equals: "early"))
    }

    @Test func expectOutputComparesNumbersByValueAndObjectsRegardlessOfKeyOrder() {
        #expect(expectOutput(Self.completed, "total", equals: 42.0))
        #expect(expectOutput(Self.completed, "user", equals: ["age": 30, "name": "Alice"]))
    }

    @Test func expectOutputReportsAMissingOutputWithTheAvailableNames() {
        let messages = recordedIssues { #expect(!expectOutput(Self.completed, "totl", equals: 42)) }

        #expect(messages == ["Output 'totl' not found. Available: [total, user]"])
    }

    @Test func expectOutputReportsAnotherValueAsJSON() {
        let messages = recordedIssues {
            #expect(!expectOutput(Self.completed, "total", equals: 41))
            expectOutput(Self.completed, "user", equals: ["name": "Bob"])
        }

        #expect(
            messages == [
                "Output 'total' is 42, expected 41",
                #"Output 'user' is {"name":"Alice","age":30}, expected {"name":"Bob"}"#,
            ]
        )
    }

    @Test func expectOutputDoesNotEquateBooleansNumbersAndStrings() {
        let run = Self.run(.completed, outputs: [("flag", true), ("count", 1), ("text", "1")])

        let messages = recordedIssues {
            expectOutput(run, "flag", equals: 1)
            expectOutput(run, "count", equals: "1")
            expectOutput(run, "text", equals: 1)
        }

        #expect(
            messages == [
                "Output 'flag' is true, expected 1",
                #"Output 'count' is 1, expected "1""#,
                #"Output 'text' is "1", expected 1"#,
            ]
        )
    }

    @Test func expectOutputExistsPassesForAnyValueIncludingNull() {
        let run = Self.run(.completed, outputs: [("nothing", nil)])

        #expect(expectOutputExists(run, "nothing"))
        #expect(expectOutputExists(Self.completed, "user"))
    }

    @Test func expectOutputExistsReportsAMissingOutput() {
        let messages = recordedIssues {
            #expect(!expectOutputExists(Self.completed, "missing"))
            expectOutputExists(Self.failed, "missing")
        }

        #expect(
            messages == [
                "Output 'missing' not found. Available: [total, user]",
                "Output 'missing' not found. Available: []",
            ]
        )
    }

    // MARK: expectEvents

    static let retried = run(
        .completed,
        events: [
            .flowStarted, .stepStarted, .stepRetrying, .stepCompleted, .stepStarted, .stepCompleted, .flowCompleted,
        ]
    )

    @Test func expectEventsPassesForNamesInOrderWithOthersBetween() {
        #expect(expectEvents(Self.retried, ["flow_started", "step_retrying", "flow_completed"]))
        #expect(expectEvents(Self.retried, ["step_started", "step_completed", "step_started", "step_completed"]))
        #expect(expectEvents(Self.retried, []))
    }

    @Test func expectEventsReportsAnEventThatNeverHappened() {
        let messages = recordedIssues { #expect(!expectEvents(Self.retried, ["step_failed"])) }

        #expect(
            messages == [
                "Event 'step_failed' not found; expected in order: [step_failed], events: [flow_started, step_started, "
                    + "step_retrying, step_completed, step_started, step_completed, flow_completed]"
            ]
        )
    }

    @Test func expectEventsReportsEventsOutOfOrder() {
        let messages = recordedIssues { expectEvents(Self.retried, ["flow_completed", "flow_started"]) }

        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("Event 'flow_started' not found after 'flow_completed'; ") == true)
    }

    @Test func expectEventsNeedsEachRepeatedEventToHappenAgain() {
        let messages = recordedIssues { expectEvents(Self.retried, ["step_retrying", "step_retrying"]) }

        #expect(messages.first?.hasPrefix("Event 'step_retrying' not found after 'step_retrying'") == true)
    }

    @Test func expectEventsAcceptsEventKinds() {
        #expect(expectEvents(Self.retried, kinds: [.stepRetrying, .stepCompleted, .flowCompleted]))

        let messages = recordedIssues { #expect(!expectEvents(Self.retried, kinds: [.flowFailed])) }

        #expect(messages.first?.hasPrefix("Event 'flow_failed' not found; ") == true)
    }
}
