import FlowCore
import FlowTesting
import OrderedCollections

/// Small flows the server tests share.
enum ServerFlows {
    /// `Greeting`: greets `user_name`; `stop` exits with reason "stopped", `boom` fails in step `charge`
    /// with "card declined" (PaymentDeclined). `count` is an integer defaulting to 2.
    static let greeting = """
        flow: Greeting
        description: Greets a user
        inputs:
          - name: user_name
            type: string
            required: true
          - name: count
            type: integer
            default: 2
        steps:
          - if: ${inputs.user_name} == stop
            then:
              - exit:
                  reason: stopped
                  outputs: {message: stopped}
          - if: ${inputs.user_name} == boom
            then:
              - task: Fail
                id: charge
                inputs: {message: card declined, type: PaymentDeclined}
          - task: Echo
            id: greet
            inputs:
              message: "Hello, ${inputs.user_name}!"
              count: ${inputs.count}
        outputs:
          - name: message
            value: ${greet.message}
          - name: count
            value: ${greet.count}
        """

    /// `Held`: Echo `first`, then Sleep `hold` for 60 s on the execution clock, then Echo `after`;
    /// `on_cancel` calls `RecordCleanup`. With a ManualClock the run stays in `hold` until the test advances.
    static let held = """
        flow: Held
        steps:
          - task: Echo
            id: first
            inputs: {n: 1}
          - task: Sleep
            id: hold
            inputs: {ms: 60000}
          - task: Echo
            id: after
            inputs: {n: 2}
        outputs:
          - name: n
            value: ${after.n}
        on_cancel:
          - task: RecordCleanup
            id: cleanup
            inputs: {why: cancelled}
        """

    /// The tasks `Held` needs beside the built-ins: `RecordCleanup`, its calls recorded in `cleanup`.
    static func heldRegistry(recordingCleanupIn cleanup: TaskCallRecorder = TaskCallRecorder()) -> TaskRegistry {
        var registry = TaskRegistry()
        registry.register("RecordCleanup", cleanup.recording("RecordCleanup") { _, _ in ["recorded": true] })
        return registry
    }

    /// The events of a `Held` run that ends normally.
    static let heldEvents = [
        "flow_started", "step_started", "step_completed", "step_started", "step_completed", "step_started",
        "step_completed", "flow_completed",
    ]

    /// `Unready`: Echo plus the stub `Stubby`: 1 of 2 tasks implemented.
    static let unready = """
        flow: Unready
        inputs:
          - name: user_name
            type: string
            required: true
        steps:
          - task: Echo
            id: echo
          - task: Stubby
            id: stubby
        """

    static var unreadyRegistry: TaskRegistry {
        var registry = TaskRegistry()
        registry.registerStub("Stubby")
        return registry
    }

    /// `NoInputs`: declares no inputs at all.
    static let noInputs = """
        flow: NoInputs
        steps:
          - task: Echo
            id: echo
            inputs: {ok: true}
        outputs:
          - name: ok
            value: ${echo.ok}
        """

    /// `Quick`: one Echo step, for filling the execution store.
    static let quick = """
        flow: Quick
        inputs:
          - name: n
            type: integer
        steps:
          - task: Echo
            id: echo
            inputs: {n: "${inputs.n}"}
        outputs:
          - name: n
            value: ${echo.n}
        """
}
