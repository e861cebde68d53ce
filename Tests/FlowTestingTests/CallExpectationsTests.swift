import FlowCore
import FlowTesting
import Testing

struct CallExpectationsTests {
    /// Mocks with `Charge` called twice and `Notify` once; `Refund` mocked but never called.
    static func mocksWithCalls() async throws -> MockTaskRegistry {
        let mocks = MockTaskRegistry()
        mocks.mock("Charge", returning: ["ok": true])
        mocks.mock("Notify", returning: nil)
        mocks.mock("Refund", returning: nil)
        try await mocks.invoke(
            "Charge", ["amount": 10, "currency": "EUR", "card": ["last4": "4242", "brand": "visa"]])
        try await mocks.invoke("Charge", ["amount": 25.5, "currency": "EUR"])
        try await mocks.invoke("Notify", ["to": "alice@example.com"])
        return mocks
    }

    // MARK: expectCalled(times:)

    @Test func expectCalledPassesForACalledTaskAndTheExactCount() async throws {
        let mocks = try await Self.mocksWithCalls()

        #expect(expectCalled(mocks, "Charge"))
        #expect(expectCalled(mocks, "Charge", times: 2))
        #expect(expectCalled(mocks, "Notify", times: 1))
        #expect(expectCalled(mocks, "Refund", times: 0))
    }

    @Test func expectCalledReportsATaskThatWasNotCalled() async throws {
        let mocks = try await Self.mocksWithCalls()

        let messages = recordedIssues {
            #expect(!expectCalled(mocks, "Refund"))
            expectCalled(mocks, "Refund", times: 2)
        }

        #expect(messages == ["Task 'Refund' was not called", "Task 'Refund' was not called"])
    }

    @Test func expectCalledReportsAnotherCount() async throws {
        let mocks = try await Self.mocksWithCalls()

        let messages = recordedIssues { #expect(!expectCalled(mocks, "Charge", times: 3)) }

        #expect(messages == ["Task 'Charge' was called 2 times, expected 3"])
    }

    // MARK: expectNotCalled

    @Test func expectNotCalledPassesForATaskNeverCalled() async throws {
        let mocks = try await Self.mocksWithCalls()

        #expect(expectNotCalled(mocks, "Refund"))
        #expect(expectNotCalled(mocks, "Unknown"))
    }

    @Test func expectNotCalledReportsHowOftenTheTaskWasCalled() async throws {
        let mocks = try await Self.mocksWithCalls()

        let messages = recordedIssues { #expect(!expectNotCalled(mocks, "Charge")) }

        #expect(messages == ["Task 'Charge' was called 2 times, expected 0"])
    }

    // MARK: expectCalled(with:)

    @Test func expectCalledWithPassesWhenAnyCallHasTheGivenInputs() async throws {
        let mocks = try await Self.mocksWithCalls()

        #expect(expectCalled(mocks, "Charge", with: ["amount": 25.5]))
        #expect(expectCalled(mocks, "Charge", with: ["currency": "EUR", "amount": 10]))
        #expect(expectCalled(mocks, "Charge", with: ["amount": 10.0]))
        #expect(expectCalled(mocks, "Charge", with: ["card": ["brand": "visa", "last4": "4242"]]))
        #expect(expectCalled(mocks, "Notify", with: [:]))
    }

    @Test func expectCalledWithNeedsOneCallToHaveAllGivenInputs() async throws {
        let mocks = try await Self.mocksWithCalls()

        let messages = recordedIssues {
            #expect(
                !expectCalled(mocks, "Charge", with: ["amount": 25.5, "card": ["last4": "4242", "brand": "visa"]]))
        }

        #expect(messages.count == 1)
    }

    @Test func expectCalledWithListsTheCallsMade() async throws {
        let mocks = try await Self.mocksWithCalls()

        let messages = recordedIssues { expectCalled(mocks, "Charge", with: ["currency": "USD", "amount": 10]) }

        #expect(
            messages == [
                #"Task 'Charge' was never called with {"amount":10,"currency":"USD"}. Calls: ["#
                    + #"{"amount":10,"currency":"EUR","card":{"last4":"4242","brand":"visa"}}, "#
                    + #"{"amount":25.5,"currency":"EUR"}]"#
            ]
        )
    }

    @Test func expectCalledWithReportsATaskThatWasNotCalled() async throws {
        let mocks = try await Self.mocksWithCalls()

        let messages = recordedIssues { #expect(!expectCalled(mocks, "Refund", with: ["amount": 10])) }

        #expect(messages == ["Task 'Refund' was not called"])
    }

    @Test func expectCalledWithDoesNotEquateNumbersAndStrings() async throws {
        let mocks = try await Self.mocksWithCalls()

        let messages = recordedIssues { expectCalled(mocks, "Charge", with: ["amount": "10"]) }

        #expect(messages.count == 1)
    }

    // MARK: expectOverlap

    @Test func expectOverlapPassesForCallsRunningAtTheSameTime() async throws {
        let mocks = MockTaskRegistry()
        let barrier = AsyncBarrier(parties: 2)
        mocks.mock("A") { _, _ in
            try await barrier.arrive()
            return "a"
        }
        mocks.mock("B") { _, _ in
            try await barrier.arrive()
            return "b"
        }

        async let a = mocks.invoke("A")
        async let b = mocks.invoke("B")
        _ = try await (a, b)

        #expect(expectOverlap(mocks, "A", "B"))
        #expect(expectOverlap(mocks, "B", "A"))
    }

    @Test func expectOverlapReportsCallsOneAfterTheOther() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("A", returning: "a")
        mocks.mock("B", returning: "b")
        try await mocks.invoke("A")
        try await mocks.invoke("B")

        let messages = recordedIssues { #expect(!expectOverlap(mocks, "A", "B")) }

        #expect(
            messages == [
                "No call of 'A' overlapped a call of 'B' ('A' ran 1-2, 'B' ran 3-4 on the recorder's timeline)"
            ])
    }

    @Test func expectOverlapReportsATaskThatWasNotCalled() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("A", returning: "a")
        try await mocks.invoke("A")

        let messages = recordedIssues {
            #expect(!expectOverlap(mocks, "A", "B"))
            expectOverlap(mocks, "C", "A")
        }

        #expect(messages == ["Task 'B' was not called", "Task 'C' was not called"])
    }
}
