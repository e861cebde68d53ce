/// Where a step sits in a run: the same for the same step of the same definition on every run, and different for
/// each loop iteration, parallel branch, subflow call and handler.
///
/// Steps are numbered from 0 within their list; a nested list is named after its place in the parent:
/// ```
/// 2                     the third top-level step
/// 2.then.0              the first step of its `then`
/// 3.branch1.0           the first step of the second branch of a parallel step
/// 4[7].1                the second step of the eighth iteration of a for_each
/// 5.case0.0, 5.default.0  steps of a switch's first case and of its default
/// 6.subflow.0           the first step of a subflow's own flow (6.subflow@2.0 on its second attempt)
/// 7.on_error.0          the first step of an on_error handler
/// on_cancel.0           the first step of the flow's on_cancel
/// ```
/// A durable store keys its step journal by this path, so a resumed run finds what it already did; tasks get it
/// through ``TaskContext/idempotencyKey``. Diagrams name their nodes by it too, with `[*]` for any iteration of
/// a loop (`4[*].1`).
public struct StepPath: Sendable, Hashable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    /// The path of the flow itself, above its first step.
    public static let root = StepPath("")

    /// The `index`th step of the list at this path.
    func step(_ index: Int) -> StepPath {
        description.isEmpty ? StepPath(String(index)) : StepPath(description + "." + String(index))
    }

    /// The nested step list called `name` of the step at this path (`then`, `branch0`, `on_error`, …).
    func list(_ name: String) -> StepPath {
        description.isEmpty ? StepPath(name) : StepPath(description + "." + name)
    }

    /// The body of the loop at this path, in its `index`th iteration.
    func iteration(_ index: Int) -> StepPath {
        StepPath(description + "[" + String(index) + "]")
    }

    /// The body of the loop at this path in any iteration, as a diagram draws it once.
    func anyIteration() -> StepPath {
        StepPath(description + "[*]")
    }

    /// The steps of the subflow called at this path, on `attempt` (a retried subflow runs all its steps again).
    func subflow(attempt: Int) -> StepPath {
        list(attempt == 1 ? "subflow" : "subflow@" + String(attempt))
    }
}
