/// Asking for a call of a task that was not made that many times.
///
/// ```swift
/// #expect(throws: TaskCallIndexError.self) { try mocks.call("Notify", at: 3) }
/// ```
public struct TaskCallIndexError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The task asked about.
    public var taskName: String
    /// How many calls were recorded.
    public var callCount: Int
    /// The index asked for.
    public var index: Int

    /// Creates the error for `index` of `taskName`, which was called `callCount` times.
    public init(taskName: String, callCount: Int, index: Int) {
        self.taskName = taskName
        self.callCount = callCount
        self.index = index
    }

    /// `Task 'X' was called N times, cannot get call I`.
    public var description: String {
        "Task '\(taskName)' was called \(callCount) times, cannot get call \(index)"
    }
}
