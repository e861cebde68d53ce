import FlowCore
import Testing

/// `retry:` blocks: how each spelling maps onto ``RetryPolicy``, and what is refused.
@Suite("Retry loading")
struct RetryLoadingTests {
    func policy(_ retry: String) throws -> RetryPolicy {
        let flow = try loadFlow(
            """
            flow: Retrying
            steps:
              - task: Flaky
                retry: \(retry)
            """
        )
        return try #require(flow.steps.first?.asTask?.retry)
    }

    static let policies: [(String, RetryPolicy)] = [
        ("{max_attempts: 5}", RetryPolicy(maxAttempts: 5, strategy: .exponential(base: 1, multiplier: 2))),
        ("{max_attempts: 3, backoff: 2}", RetryPolicy(maxAttempts: 3, strategy: .exponential(base: 2, multiplier: 2))),
        (
            "{backoff: 0.5, backoff_multiplier: 3}",
            RetryPolicy(maxAttempts: 1, strategy: .exponential(base: 0.5, multiplier: 3))
        ),
        ("{max_attempts: 4, delay_seconds: 1.5}", RetryPolicy(maxAttempts: 4, strategy: .fixed(1.5))),
        ("{delay: 5}", RetryPolicy(maxAttempts: 1, strategy: .fixed(5))),
        (
            "{delay_seconds: 1, backoff_multiplier: 3}",
            RetryPolicy(maxAttempts: 1, strategy: .exponential(base: 1, multiplier: 3))
        ),
        ("{backoff_multiplier: 4}", RetryPolicy(maxAttempts: 1, strategy: .exponential(base: 1, multiplier: 4))),
        ("{backoff: fixed, delay_seconds: 2}", RetryPolicy(maxAttempts: 1, strategy: .fixed(2))),
        ("{backoff: constant, delay_seconds: 2}", RetryPolicy(maxAttempts: 1, strategy: .fixed(2))),
        ("{backoff: linear, delay_seconds: 2}", RetryPolicy(maxAttempts: 1, strategy: .linear(base: 2))),
        ("{backoff: Linear}", RetryPolicy(maxAttempts: 1, strategy: .linear(base: 1))),
        (
            "{backoff: exponential, delay_seconds: 2}",
            RetryPolicy(maxAttempts: 1, strategy: .exponential(base: 2, multiplier: 2))
        ),
        (
            "{backoff: exponential, delay_seconds: 2, backoff_multiplier: 1.5}",
            RetryPolicy(maxAttempts: 1, strategy: .exponential(base: 2, multiplier: 1.5))
        ),
        ("{jitter: true}", RetryPolicy(maxAttempts: 1, jitter: 0.5)),
        ("{jitter: false}", RetryPolicy(maxAttempts: 1, jitter: 0)),
        ("{jitter: 0.25}", RetryPolicy(maxAttempts: 1, jitter: 0.25)),
        (
            "{max_delay_seconds: 30, backoff: 1}",
            RetryPolicy(maxAttempts: 1, strategy: .exponential(base: 1, multiplier: 2), maxDelaySeconds: 30)
        ),
        (
            "{retry_on: [TimeoutError, ConnectionError]}",
            RetryPolicy(maxAttempts: 1, retryOn: ["TimeoutError", "ConnectionError"])
        ),
        ("{retry_on: TimeoutError}", RetryPolicy(maxAttempts: 1, retryOn: ["TimeoutError"])),
        ("{no_retry_on: [ValueError]}", RetryPolicy(maxAttempts: 1, noRetryOn: ["ValueError"])),
        (
            "\n      max_attempts: 3\n      delay_seconds: 2\n      backoff: linear\n      jitter: true\n      retry_on:\n        - FlakyError",
            RetryPolicy(maxAttempts: 3, strategy: .linear(base: 2), jitter: 0.5, retryOn: ["FlakyError"])
        ),
    ]

    @Test(arguments: policies)
    func retrySpellingLoadsIntoPolicy(retry: String, expected: RetryPolicy) throws {
        #expect(try policy(retry) == expected)
    }

    @Test func numericBackoffIsExponentialWithMultiplierTwo() throws {
        let loaded = try policy("{max_attempts: 4, backoff: 2}")
        #expect((0..<3).map { loaded.baseDelay(afterFailedAttempt: $0) } == [2, 4, 8])
    }

    @Test func delaySecondsAloneIsAFixedDelay() throws {
        let loaded = try policy("{max_attempts: 4, delay_seconds: 3}")
        #expect((0..<3).map { loaded.baseDelay(afterFailedAttempt: $0) } == [3, 3, 3])
    }

    @Test func taskWithoutRetryMakesOneAttempt() throws {
        let flow = try loadFlow("flow: Once\nsteps:\n  - task: Flaky\n")
        #expect(flow.steps.first?.asTask?.retry == RetryPolicy.none)
        #expect(RetryPolicy.none.maxAttempts == 1)
    }

    static let errors: [(String, String)] = [
        ("1️⃣3", "'retry' must be a mapping such as {max_attempts: 3, delay_seconds: 1}, found the integer 3"),
        ("1️⃣[3]", "'retry' must be a mapping"),
        ("{max_attempts: 1️⃣0}", "'max_attempts' must be at least 1, found 0"),
        ("{max_attempts: 1️⃣-2}", "'max_attempts' must be at least 1, found -2"),
        ("{max_attempts: 1️⃣many}", "'max_attempts' must be an integer, found the string 'many'"),
        ("{max_attempts: 1️⃣true}", "'max_attempts' must be an integer"),
        ("{delay_seconds: 1️⃣-1}", "'delay_seconds' must be at least 0"),
        ("{delay: 1️⃣-0.5}", "must be at least 0"),
        ("{backoff: 1️⃣-1}", "'backoff' must be at least 0"),
        ("{1️⃣max_attempt: 3}", "unknown key 'max_attempt' in 'retry'. Did you mean 'max_attempts'?"),
        (
            "{max_attempts: 3, 1️⃣dealy_seconds: 1}",
            "unknown key 'dealy_seconds' in 'retry'. Did you mean 'delay_seconds'?"
        ),
        ("{1️⃣retry_onn: [X]}", "Did you mean 'retry_on'?"),
        ("{backoff: 1️⃣exponental}", "unknown backoff 'exponental'. Did you mean 'exponential'?"),
        ("{backoff: 1️⃣linaer}", "unknown backoff 'linaer'. Did you mean 'linear'?"),
        ("{backoff: 1️⃣\"fixd\"}", "Did you mean 'fixed'?"),
        ("{jitter: 1️⃣2}", "'jitter' must be between 0"),
        ("{jitter: 1️⃣sometimes}", "'jitter' must be a number"),
        ("{backoff_multiplier: 1️⃣0.5}", "'backoff_multiplier' must be at least 1"),
        ("{backoff: 2, delay_seconds: 1️⃣1}", "give it or 'delay_seconds', not both"),
        ("{delay_seconds: 1, delay: 1️⃣2}", "give either 'delay_seconds' or 'delay', not both"),
        ("{retry_on: [1️⃣[nested]]}", "an error type in 'retry_on' must be a non-empty string"),
    ]

    @Test(arguments: errors)
    func invalidRetryIsAnErrorAtTheOffendingNode(retry: String, message: String) {
        let yaml = MarkedYAML(
            """
            flow: Retrying
            steps:
              - task: Flaky
                retry: \(retry)
            """
        )
        expectLoadErrors(yaml, ["1️⃣": message])
    }

    @Test func invalidRetryOnSubflowIsReportedToo() {
        let yaml = MarkedYAML(
            """
            flow: Retrying
            steps:
              - subflow: child
                retry:
                  max_attempts: 1️⃣0
                  2️⃣backof: 2
            """
        )
        expectLoadErrors(
            yaml,
            [
                "1️⃣": "'max_attempts' must be at least 1, found 0",
                "2️⃣": "unknown key 'backof' in 'retry'. Did you mean 'backoff'?",
            ]
        )
    }
}
