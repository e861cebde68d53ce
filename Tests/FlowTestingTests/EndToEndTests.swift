import FlowCore
import FlowTesting
import OrderedCollections
import Testing

/// Flow tests written the way users write them.
struct EndToEndTests {
    /// The user's real tasks: only `SendConfirmation` stays unmocked in these tests.
    static func makeTaskRegistry() -> TaskRegistry {
        var registry = TaskRegistry()
        registry.registerStub("ValidateOrder")
        registry.register("ChargeCard") { _, _ in throw TaskError("would charge a real card", type: "RealCall") }
        registry.register("SendConfirmation") { inputs, _ in
            ["sent": true, "text": .string("Order \(inputs["order_id"]?.stringValue ?? "?") confirmed")]
        }
        return registry
    }

    static let orderFlow = """
        flow: PlaceOrder
        inputs:
          - name: order_id
            type: string
            required: true
          - name: amount
            type: number
            required: true
        steps:
          - task: ValidateOrder
            id: validate
            inputs:
              order_id: ${inputs.order_id}
          - task: ChargeCard
            id: charge
            inputs:
              amount: ${inputs.amount}
              customer: ${validate.customer}
            retry: {max_attempts: 3, delay_seconds: 1}
          - task: SendConfirmation
            id: confirm
            inputs:
              order_id: ${inputs.order_id}
              transaction: ${charge.transaction_id}
        outputs:
          - name: transaction_id
            value: ${charge.transaction_id}
          - name: confirmation
            value: ${confirm.text}
        """

    @Test func aChargeThatFailsTwiceSucceedsOnTheThirdAttempt() async throws {
        let mocks = MockTaskRegistry(base: Self.makeTaskRegistry())
        mocks.mock("ValidateOrder", returning: ["valid": true, "customer": "c-7"])
        mocks.mock(
            "ChargeCard",
            results: [
                .failure(TaskError("gateway busy", type: "GatewayBusy")),
                .failure(TaskError("gateway busy", type: "GatewayBusy")),
                .success(["transaction_id": "tx-42"]),
            ]
        )
        let clock = ImmediateClock()
        let harness = try FlowTestHarness(yaml: Self.orderFlow, mocks: mocks, clock: clock)

        let run = try await harness.run(["order_id": "o-1", "amount": 19.99])

        expectSuccess(run)
        expectOutput(run, "transaction_id", equals: "tx-42")
        expectOutput(run, "confirmation", equals: "Order o-1 confirmed")
        expectCalled(mocks, "ValidateOrder", times: 1)
        expectCalled(mocks, "ChargeCard", times: 3)
        expectCalled(mocks, "ChargeCard", with: ["amount": 19.99, "customer": "c-7"])
        expectCalled(mocks, "SendConfirmation", with: ["order_id": "o-1", "transaction": "tx-42"])
        #expect(mocks.calls(to: "ChargeCard").map(\.attempt) == [1, 2, 3])
        #expect(mocks.calls(to: "ChargeCard").map(\.stepId) == ["charge", "charge", "charge"])
        #expect(mocks.calls(to: "ChargeCard").map(\.threw) == [true, true, false])
        #expect(
            mocks.allCalls.map(\.taskName) == [
                "ValidateOrder", "ChargeCard", "ChargeCard", "ChargeCard", "SendConfirmation",
            ])
        #expect(clock.requestedSleeps == [.seconds(1), .seconds(1)])
        expectEvents(run, ["step_started", "step_retrying", "step_retrying", "step_completed", "flow_completed"])
        #expect(run.events(.stepRetrying).compactMap { $0.data["error_type"] } == ["GatewayBusy", "GatewayBusy"])
    }

    @Test func aDeclinedChargeFailsTheOrderWithoutConfirmation() async throws {
        let mocks = MockTaskRegistry(base: Self.makeTaskRegistry())
        mocks.mock("ValidateOrder", returning: ["valid": true, "customer": "c-7"])
        mocks.mock("ChargeCard", throwing: TaskError("card declined", type: "PaymentDeclined"))
        let clock = ImmediateClock()
        let harness = try FlowTestHarness(yaml: Self.orderFlow, mocks: mocks, clock: clock)

        let run = try await harness.run(["order_id": "o-2", "amount": 5])

        expectFailure(run, errorContains: "declined", type: "PaymentDeclined", step: "charge")
        expectCalled(mocks, "ChargeCard", times: 3)
        expectNotCalled(mocks, "SendConfirmation")
        #expect(run.failure?.attempts == 3)
        expectEvents(run, ["step_failed", "flow_failed"])
    }

    @Test func resettingTheMocksRunsTheRealTasksAgain() async throws {
        let mocks = MockTaskRegistry(base: Self.makeTaskRegistry())
        mocks.mock("ValidateOrder", returning: ["customer": "c-7"])
        mocks.mock("ChargeCard", returning: ["transaction_id": "tx-1"])
        let harness = try FlowTestHarness(yaml: Self.orderFlow, mocks: mocks, clock: ImmediateClock())
        expectSuccess(try await harness.run(["order_id": "o-3", "amount": 1]))

        mocks.reset()
        let run = try await harness.run(["order_id": "o-3", "amount": 1])

        expectFailure(run, type: "NotImplementedTaskError", step: "validate")
        expectNotCalled(mocks, "ChargeCard")
    }

    static let parallelFlow = """
        flow: Dashboard
        steps:
          - parallel:
              - task: FetchUser
                id: user
              - task: FetchOrders
                id: orders
          - task: Render
            id: render
            inputs:
              user: ${user.name}
              orders: ${orders.count}
        outputs:
          - name: page
            value: ${render}
        """

    @Test(.timeLimit(.minutes(1)))
    func parallelBranchesRunAtTheSameTime() async throws {
        let mocks = MockTaskRegistry()
        let bothStarted = AsyncBarrier(parties: 2)
        mocks.mock("FetchUser") { _, _ in
            try await bothStarted.arrive()
            return ["name": "Alice"]
        }
        mocks.mock("FetchOrders") { _, _ in
            try await bothStarted.arrive()
            return ["count": 3]
        }
        mocks.mock("Render") { inputs, _ in inputs }
        let harness = try FlowTestHarness(yaml: Self.parallelFlow, mocks: mocks)

        let run = try await harness.run()

        expectSuccess(run)
        expectOverlap(mocks, "FetchUser", "FetchOrders")
        let user = try mocks.call("FetchUser", at: 0)
        let orders = try mocks.call("FetchOrders", at: 0)
        #expect(user.startedAt < (try #require(orders.endedAt)))
        #expect(orders.startedAt < (try #require(user.endedAt)))
        let render = try mocks.call("Render", at: 0)
        #expect(try #require(user.endOrder) < render.startOrder)
        #expect(try #require(orders.endOrder) < render.startOrder)
        expectOutput(run, "page", equals: ["user": "Alice", "orders": 3])
    }

    @Test func sequentialStepsDoNotOverlap() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("FetchUser", returning: ["name": "Alice"])
        mocks.mock("FetchOrders", returning: ["count": 3])
        mocks.mock("Render", returning: "page")
        let harness = try FlowTestHarness(
            yaml: """
                flow: Sequential
                steps:
                  - task: FetchUser
                  - task: FetchOrders
                  - task: Render
                """,
            mocks: mocks
        )

        expectSuccess(try await harness.run())

        let messages = recordedIssues { expectOverlap(mocks, "FetchUser", "FetchOrders") }
        #expect(messages.first?.hasPrefix("No call of 'FetchUser' overlapped a call of 'FetchOrders'") == true)
    }

    @Test func anExitStepTerminatesTheFlow() async throws {
        let mocks = MockTaskRegistry()
        mocks.mock("Check", returning: ["shipped": true])
        let harness = try FlowTestHarness(
            yaml: """
                flow: Ship
                steps:
                  - task: Check
                    id: check
                  - if: ${check.shipped} == true
                    then:
                      - exit:
                          reason: Already shipped
                          outputs: {status: shipped}
                  - task: Ship
                """,
            mocks: mocks
        )

        let run = try await harness.run()

        expectTerminated(run, reason: "Already shipped")
        expectSuccess(run)
        expectOutput(run, "status", equals: "shipped")
        expectNotCalled(mocks, "Ship")
        expectEvents(run, ["flow_terminated", "flow_completed"])
    }

    @Test(.timeLimit(.minutes(1)))
    func aTaskCanCancelTheRunningFlow() async throws {
        let mocks = MockTaskRegistry()
        let signal = CancellationSignal()
        let clock = ManualClock()
        mocks.mock("Wait") { _, context in
            signal.cancel(reason: "user aborted")
            try await context.clock.sleep(for: .seconds(3600))
            return nil
        }
        let harness = try FlowTestHarness(
            yaml: """
                flow: Long
                steps:
                  - task: Wait
                  - task: After
                """,
            mocks: mocks,
            clock: clock
        )

        let run = try await harness.run(cancellation: signal)

        expectCancelled(run, reason: "user aborted")
        expectCalled(mocks, "Wait", times: 1)
        #expect(try mocks.call("Wait", at: 0).threw)
        expectNotCalled(mocks, "After")
        expectEvents(run, ["flow_cancelled"])
    }
}
