public import FlowCore
import Synchronization

/// A ``StepJournal`` in memory, to test how a flow resumes after a crash without a database.
///
/// Run a flow with a journal, keep some of its entries (those written before the "crash"), and run the same
/// execution again with a journal holding only them: the steps they cover are replayed, the rest run.
/// ```swift
/// let first = MemoryStepJournal()
/// _ = try await executor.execute(flow, inputs: inputs, options: ExecutionOptions(executionId: "e-1", journal: first))
/// let resumed = MemoryStepJournal(entries: Array(first.entries.prefix(2)))
/// let result = try await executor.execute(flow, inputs: inputs, options: ExecutionOptions(executionId: "e-1", journal: resumed))
/// #expect(resumed.entries.count == first.entries.count)
/// ```
public final class MemoryStepJournal: StepJournal {
    private struct State {
        var byPath: [StepPath: StepJournalEntry] = [:]
        var order: [StepJournalEntry] = []
    }

    private let state: Mutex<State>

    /// A journal holding `entries`, as a store would hand them to a resumed run.
    public init(entries: [StepJournalEntry] = []) {
        var state = State()
        for entry in entries {
            state.byPath[entry.path] = entry
            state.order.append(entry)
        }
        self.state = Mutex(state)
    }

    /// Every entry, the given ones first, then those recorded, in the order they were recorded.
    public var entries: [StepJournalEntry] { state.withLock { $0.order } }

    /// The paths of ``entries``, as text.
    public var paths: [String] { entries.map(\.path.description) }

    public func entry(at path: StepPath) -> StepJournalEntry? {
        state.withLock { $0.byPath[path] }
    }

    public func record(_ entry: StepJournalEntry) async {
        state.withLock { state in
            state.byPath[entry.path] = entry
            state.order.append(entry)
        }
    }
}
