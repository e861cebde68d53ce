import FlowCore
import Logging

/// Handing background executions back at a graceful shutdown (``ExecutionService/run()``).
extension ExecutionService {
    /// The reason a handed-back execution stops with here.
    static let handBackReason =
        "The server is shutting down; the execution goes on from its step journal where it is resumed"

    /// Gives up this instance's hold on a running execution so that it can be claimed at once.
    func release(_ id: ExecutionID) async {
        do {
            try await stored("release") { try await store.release(id: id) }
        } catch {
            logger.warning(
                "could not release an execution for another instance",
                metadata: [LogKey.executionId: "\(id)", LogKey.error: "\(error)"])
        }
    }
}
