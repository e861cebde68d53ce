/// A change an ``ExecutionStore`` was asked for without waiting: ``committed()`` returns once it is durable, or
/// throws why it could not be stored. A store that ``ExecutionStore/queuesWrites`` has it in its order of
/// writes already; any other writes it when ``committed()`` is first awaited.
public struct QueuedWrite: Sendable {
    private let wait: @Sendable () async throws -> Void

    public init(_ wait: @escaping @Sendable () async throws -> Void) {
        self.wait = wait
    }

    /// Waits until the change is stored.
    public func committed() async throws {
        try await wait()
    }
}
